// The network's console: head office, regions and dealers' staff.
import { render } from "preact";
import { App } from "./app";
import "./console.css";

render(<App />, document.getElementById("app")!);
