// Keeps the "closes in" indication of a call current without reloading the page.
// The server still decides whether a submission is on time; this is only a reading aid.
const units = [
  ["day", 86400],
  ["hour", 3600],
  ["minute", 60],
];

function describe(seconds, lang) {
  const parts = [];
  let rest = seconds;
  for (const [unit, size] of units) {
    const count = Math.floor(rest / size);
    if (count > 0 || (unit === "minute" && parts.length === 0)) {
      parts.push(new Intl.NumberFormat(lang, { style: "unit", unit, unitDisplay: "long" }).format(count));
      rest -= count * size;
    }
    if (parts.length === 2) break;
  }
  return parts.join(lang.startsWith("fr") ? " et " : " and ");
}

function tick() {
  const lang = document.documentElement.lang || "fr";
  for (const element of document.querySelectorAll(".defis-countdown[data-deadline]")) {
    const seconds = Math.floor((Date.parse(element.dataset.deadline) - Date.now()) / 1000);
    if (seconds <= 0) {
      element.textContent = lang.startsWith("fr") ? "L’appel est clos." : "The call is closed.";
      continue;
    }
    const prefix = lang.startsWith("fr") ? "Ferme dans " : "Closes in ";
    element.textContent = `${prefix}${describe(seconds, lang)}.`;
  }
}

tick();
setInterval(tick, 30000);
