// Chart.js with only what the console draws: horizontal bars (floating, for
// intervals) and points, on a category and a linear axis, with tooltips and
// a legend. Nothing else is registered, so nothing else is bundled.
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from "chart.js";

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Tooltip, Legend);
Chart.defaults.animation = false;
Chart.defaults.font.family = "system-ui, sans-serif";
Chart.defaults.color = "#1f2933";

export { Chart };
