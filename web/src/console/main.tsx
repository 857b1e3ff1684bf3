// The network's console: head office, regions and dealers' staff.
import { render } from "preact";
import "./console.css";

function Console() {
  return <h1>Aftercare</h1>;
}

render(<Console />, document.getElementById("app")!);
