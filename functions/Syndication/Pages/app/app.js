// The editors' page. Every text from the server is set as text (never as HTML), so nothing an editor or a feed wrote
// can run here. Telegram's launch data is read from Telegram's script when it has loaded, else from the launch
// parameters Telegram puts in the address, so the page works without that script too.
"use strict";

const SVG = "http://www.w3.org/2000/svg";
const launch = new URLSearchParams(location.hash.slice(1) || location.search.slice(1));
const webApp = () => (window.Telegram && window.Telegram.WebApp && window.Telegram.WebApp.initData ? window.Telegram.WebApp : null);
const initData = () => (webApp() ? webApp().initData : launch.get("tgWebAppData") || "");
const $ = (id) => document.getElementById(id);
let overview = null;
let editing = null;
let trialTimer = 0;
let trialSeq = 0;

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") node.className = v; else node.setAttribute(k, v);
  }
  for (const child of children) if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
  return node;
}

function theme() {
  let params = {};
  try { params = webApp() ? webApp().themeParams : JSON.parse(launch.get("tgWebAppThemeParams") || "{}"); } catch { params = {}; }
  for (const [key, value] of Object.entries(params || {}))
    if (/^#[0-9a-f]{3,8}$/i.test(value)) document.documentElement.style.setProperty("--tg-theme-" + key.replace(/_/g, "-"), value);
  const bg = (params && params.bg_color) || "";
  if (/^#[0-9a-f]{6}$/i.test(bg)) {
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(bg.slice(i, i + 2), 16));
    document.documentElement.dataset.theme = 0.2126 * r + 0.7152 * g + 0.0722 * b < 128 ? "dark" : "light";
  } else if (matchMedia("(prefers-color-scheme: dark)").matches) {
    document.documentElement.dataset.theme = "dark";
  }
}

async function api(method, path, body) {
  const response = await fetch("api/" + path, {
    method,
    headers: Object.assign({ "X-Telegram-Init-Data": initData() }, body ? { "Content-Type": "application/json" } : {}),
    body: body ? JSON.stringify(body) : undefined,
  });
  const data = await response.json().catch(() => ({ error: "The server's answer could not be read (" + response.status + ")." }));
  if (!response.ok) throw new Error(data.error || "The request failed (" + response.status + ").");
  return data;
}

function problem(message) {
  $("problem").hidden = !message;
  $("problem").textContent = message || "";
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

// Times are UTC, as /status and /history give them; the headings say so.
function when(iso) {
  if (!iso) return "never";
  const at = new Date(iso);
  return `${at.getUTCDate()} ${MONTHS[at.getUTCMonth()]} ${at.toISOString().slice(11, 16)}`;
}

function bars(counts, label) {
  const svg = document.createElementNS(SVG, "svg");
  const max = Math.max(1, ...counts);
  svg.setAttribute("class", "chart");
  svg.setAttribute("viewBox", `0 0 ${counts.length * 4} 20`);
  svg.setAttribute("preserveAspectRatio", "none");
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", label);
  counts.forEach((count, i) => {
    const rect = document.createElementNS(SVG, "rect");
    const height = count === 0 ? 0.5 : (count / max) * 20;
    rect.setAttribute("x", String(i * 4 + 0.5));
    rect.setAttribute("y", String(20 - height));
    rect.setAttribute("width", "3");
    rect.setAttribute("height", String(height));
    svg.append(rect);
  });
  return svg;
}

function sparkline(counts, label) {
  const svg = document.createElementNS(SVG, "svg");
  const max = Math.max(1, ...counts);
  svg.setAttribute("class", "spark");
  svg.setAttribute("viewBox", `0 0 ${(counts.length - 1) * 4} 20`);
  svg.setAttribute("preserveAspectRatio", "none");
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", label);
  const line = document.createElementNS(SVG, "polyline");
  line.setAttribute("points", counts.map((c, i) => `${i * 4},${19 - (c / max) * 18}`).join(" "));
  svg.append(line);
  return svg;
}

function show(tab) {
  for (const button of document.querySelectorAll(".tab")) button.setAttribute("aria-pressed", String(button.dataset.tab === tab));
  $("rules").hidden = tab !== "rules";
  $("rule").hidden = tab !== "rule";
  $("feeds-section").hidden = tab !== "feeds";
  $("history").hidden = tab !== "history";
}

function renderRules() {
  const list = $("rule-list");
  list.replaceChildren();
  for (const rule of overview.rules) {
    const kept = rule.precision30 === null ? "" : ` (${Math.round(rule.precision30 * 100)}% kept)`;
    const open = el("button", { type: "button", "data-rule": rule.id }, rule.id);
    open.addEventListener("click", () => editRule(rule.id));
    list.append(el("li", {},
      open, rule.paused ? el("span", { class: "muted" }, " paused") : null,
      el("p", { class: "figures" }, `Sent ${rule.sent7} in 7 days, ${rule.sent30} in 30`),
      el("p", { class: "figures" + (rule.marked30 > 0 ? " bad" : "") }, `Not relevant: ${rule.marked7} in 7 days, ${rule.marked30} in 30${kept}`),
      bars(rule.perDay, `Alerts a day over 30 days for ${rule.id}: ${rule.perDay.join(", ")}`),
      el("p", { class: "muted" }, "To " + rule.channels.join(", "))));
  }
}

function renderFeeds() {
  const rows = $("feed-rows");
  rows.replaceChildren();
  for (const feed of overview.feeds) {
    const name = el("td", {}, el("strong", {}, feed.name), el("br"), el("span", { class: "muted" }, feed.id + (feed.enabled ? "" : " · paused")));
    if (feed.broken || feed.error) name.append(el("br"), el("span", { class: "bad" }, (feed.broken ? "Broken: " : "Failing: ") + (feed.error || "")));
    rows.append(el("tr", { "data-feed": feed.id }, name, el("td", {}, when(feed.lastSuccessAt)), el("td", { class: "num" }, feed.failures),
      el("td", {}, when(feed.nextDueAt)), el("td", { class: "num" }, feed.articlesPerDay),
      el("td", {}, sparkline(feed.perDay, `Articles a day over 14 days for ${feed.id}: ${feed.perDay.join(", ")}`))));
  }
}

function renderHistory() {
  const list = $("changes");
  list.replaceChildren();
  for (const change of overview.history) {
    const diff = el("pre", { class: "diff" });
    for (const line of change.diff) diff.append(el("span", { class: line.kind === "+" ? "add" : line.kind === "-" ? "del" : "" }, `${line.kind} ${line.text}\n`));
    // A long difference (a whole configuration pushed) stays folded until asked for.
    const shown = change.diff.length > 12 ? el("details", {}, el("summary", {}, `${change.diff.filter((l) => l.kind !== " ").length} lines changed`), diff) : diff;
    list.append(el("li", { "data-change": change.id },
      el("strong", {}, change.by), " ", el("span", { class: "muted" }, when(change.at)), el("br"),
      el("code", {}, change.command), ": ", change.summary, shown));
  }
  $("undo").disabled = overview.history.length === 0;
}

const lines = (id) => $(id).value.split("\n").map((s) => s.trim()).filter((s) => s.length > 0);

function form() {
  const feeds = lines("feeds");
  return {
    anyOf: lines("anyOf"), allOf: lines("allOf"), noneOf: lines("noneOf"),
    channels: [...document.querySelectorAll("#channels input:checked")].map((i) => i.value),
    feeds: feeds.length ? feeds : null,
    fields: [...document.querySelectorAll("#fields input:checked")].map((i) => i.value),
    caseSensitive: $("caseSensitive").checked,
  };
}

// A fieldset of checkboxes, one per value, those in `checked` ticked; a change asks for a new trial.
function checkboxes(box, legend, values, checked) {
  box.replaceChildren(el("legend", {}, legend));
  for (const value of values) {
    const id = box.id + "-" + value;
    const input = el("input", { type: "checkbox", value, id });
    input.checked = checked.includes(value);
    input.addEventListener("change", scheduleTrial);
    box.append(el("label", { for: id }, input, " " + value));
  }
}

function editRule(id) {
  const rule = overview.rules.find((r) => r.id === id);
  editing = id;
  $("rule-title").textContent = "Rule " + id;
  $("anyOf").value = rule.anyOf.join("\n");
  $("allOf").value = rule.allOf.join("\n");
  $("noneOf").value = rule.noneOf.join("\n");
  $("feeds").value = (rule.feeds || []).join("\n");
  checkboxes($("channels"), "Channels", overview.channels, rule.channels);
  checkboxes($("fields"), "Looks in", overview.fields, rule.fields);
  $("caseSensitive").checked = rule.caseSensitive;
  $("saved").textContent = "";
  show("rule");
  trial();
}

function scheduleTrial() {
  clearTimeout(trialTimer);
  trialTimer = setTimeout(trial, 400);
}

async function trial() {
  const seq = ++trialSeq;
  $("trial-count").textContent = "Trying…";
  try {
    const result = await api("POST", `rules/${encodeURIComponent(editing)}/try`, form());
    if (seq !== trialSeq) return;
    const list = $("trial");
    list.replaceChildren();
    if (result.errors.length) {
      $("trial-count").textContent = "Not a valid rule yet: " + result.errors.join(" ");
      return;
    }
    $("trial-count").textContent = `${result.matched} of the ${result.read} newest stored articles`;
    for (const match of result.matches) {
      const title = match.link ? el("a", { href: match.link, target: "_blank", rel: "noopener noreferrer", dir: "auto" }) : el("span", { dir: "auto" });
      for (const piece of match.title) title.append(piece.hit ? el("mark", {}, piece.text) : document.createTextNode(piece.text));
      list.append(el("li", {}, title, el("span", { class: "muted" }, ` ${match.feed}, ${when(match.at)}`)));
    }
  } catch (error) {
    if (seq === trialSeq) $("trial-count").textContent = error.message;
  }
}

async function load() {
  overview = await api("GET", "overview");
  $("who").textContent = `${overview.editor.name} · ${overview.editor.role}`;
  renderRules();
  renderFeeds();
  renderHistory();
}

async function start() {
  theme();
  if (webApp()) { webApp().ready(); webApp().expand(); }
  for (const button of document.querySelectorAll(".tab")) button.addEventListener("click", () => show(button.dataset.tab === "feeds" ? "feeds" : button.dataset.tab));
  for (const id of ["anyOf", "allOf", "noneOf", "feeds"]) $(id).addEventListener("input", scheduleTrial);
  $("caseSensitive").addEventListener("change", scheduleTrial);
  $("back").addEventListener("click", () => show("rules"));
  $("rule-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const saved = await api("POST", `rules/${encodeURIComponent(editing)}`, form());
      $("saved").textContent = saved.message;
      await load();
    } catch (error) {
      $("saved").textContent = error.message;
    }
  });
  $("undo").addEventListener("click", async () => {
    const button = $("undo");
    try {
      const answer = await api("POST", "undo", { confirm: button.dataset.confirm || null });
      $("undone").textContent = answer.message;
      button.dataset.confirm = answer.confirm || "";
      button.textContent = answer.confirm ? "Yes, undo it" : "Undo the latest change";
      if (answer.done) await load();
    } catch (error) {
      $("undone").textContent = error.message;
    }
  });
  try {
    await load();
    problem("");
    document.body.dataset.ready = "true";
  } catch (error) {
    $("who").textContent = "";
    problem(error.message);
    document.body.dataset.ready = "refused";
  }
}

document.addEventListener("DOMContentLoaded", start);
