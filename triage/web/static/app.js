// The classroom page of `triage serve`: the case in a form, the report beside it, its
// explanations and the article. No framework: every element is built with the DOM, and all
// text that comes from a student or a case goes in with textContent, never as markup.
"use strict";

const NAMES = {}; // fact -> readable name (site:bone -> Bone)
let vocab = null;
let state = emptyCase(); // the case: the single source of truth the form shows
let report = null;
let selected = null; // the fact whose explanation is shown
let article = "";
let interview = null; // {history: [{state, unknown}], unknown: [], question}
let timer = null;
let sequence = 0; // the latest request: an older answer arriving late is ignored

const $ = (id) => document.getElementById(id);

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (key === "text") node.textContent = value;
    else if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (value !== false && value !== null && value !== undefined) node.setAttribute(key, value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

function emptyCase() {
  return {
    id: "page", title: "", sentence: "", findings: [], absent: [], labs: {},
    receptors: {er: "unknown", pr: "unknown"}, history: [], progression: "unknown", other: {},
  };
}

// -- the case as the API takes it, and back ---------------------------------------------

function caseData(source = state) {
  const data = {id: source.id || "page", ...source.other};
  if (source.title) data.title = source.title;
  const findings = [...source.findings];
  const sentence = source.sentence.trim();
  if (sentence) {
    if (vocab.case_keys.includes("narrative")) data.narrative = sentence;
    else findings.push(sentence); // until the case model reads free text
  }
  if (findings.length) data.findings = findings;
  if (source.absent.length) data.absent = [...source.absent];
  if (Object.keys(source.labs).length) data.labs = {...source.labs};
  const receptors = {};
  for (const name of ["er", "pr"]) {
    if (source.receptors[name] !== "unknown") receptors[name] = source.receptors[name];
  }
  if (Object.keys(receptors).length) data.receptors = receptors;
  if (source.history.length) data.history = [...source.history];
  if (source.progression !== "unknown") data.progression = source.progression;
  return data;
}

function fromCaseData(data) {
  const next = emptyCase();
  const known = ["id", "title", "narrative", "findings", "absent", "labs", "receptors", "history",
    "progression"];
  next.id = typeof data.id === "string" ? data.id : "page";
  next.title = typeof data.title === "string" ? data.title : "";
  next.sentence = typeof data.narrative === "string" ? data.narrative : "";
  next.findings = Array.isArray(data.findings) ? data.findings.map(String) : [];
  if (!vocab.case_keys.includes("narrative") && !next.sentence && next.findings.length) {
    // a sentence sent as the last finding comes back into the sentence box
    const last = next.findings[next.findings.length - 1];
    if (!findingId(last) && last.includes(" ")) next.sentence = next.findings.pop();
  }
  next.absent = Array.isArray(data.absent) ? data.absent.map(String) : [];
  if (data.labs && typeof data.labs === "object") {
    for (const [name, value] of Object.entries(data.labs)) next.labs[name] = String(value);
  }
  const receptors = data.receptors || {};
  for (const name of ["er", "pr"]) {
    if (["positive", "negative", "unknown"].includes(receptors[name])) {
      next.receptors[name] = receptors[name];
    }
  }
  next.history = Array.isArray(data.history) ? data.history.map(String) : [];
  if (["rapid", "slow", "unknown"].includes(data.progression)) next.progression = data.progression;
  for (const [key, value] of Object.entries(data)) {
    if (!known.includes(key)) next.other[key] = value;
  }
  return next;
}

// -- finding words ------------------------------------------------------------------------

const WORDS = new Map(); // a lowercased way of naming a finding -> its id
const RESOLVED = new Map(); // any other word -> the finding the server read it as (or null)

function findingId(text) {
  const known = WORDS.get(String(text).trim().toLowerCase().replace(/[_-]/g, " "));
  return known || RESOLVED.get(text) || null;
}

async function resolveWords() {
  // words the page does not know as written ("ribs hurt") are read by the server's reader
  const open = [...state.findings, ...state.absent].filter(
    (word) => !findingId(word) && !RESOLVED.has(word));
  if (!open.length) return;
  for (const word of open) {
    try {
      RESOLVED.set(word, (await call(`/api/vocab?word=${encodeURIComponent(word)}`)).finding);
    } catch (problem) {
      RESOLVED.set(word, null);
    }
  }
  showForm();
}

function isPresent(id) {
  return state.findings.some((word) => findingId(word) === id);
}

function setPresent(id, present) {
  state.findings = state.findings.filter((word) => findingId(word) !== id);
  if (present) {
    state.absent = state.absent.filter((word) => findingId(word) !== id);
    state.findings.push(vocab.findings.find((f) => f.id === id).name);
  }
}

// -- the form ----------------------------------------------------------------------------

function buildForm() {
  const list = $("finding-words");
  for (const finding of vocab.findings) {
    NAMES[`finding:${finding.id}`] = finding.name;
    for (const word of [finding.id, finding.name, finding.article, ...finding.synonyms]) {
      if (!word) continue;
      WORDS.set(word.toLowerCase().replace(/[_-]/g, " "), finding.id);
      list.append(el("option", {value: word}));
    }
  }
  for (const kind of ["sites", "tests", "treatments", "labs"]) {
    for (const item of vocab[kind]) NAMES[`${kind.slice(0, -1)}:${item.id}`] = item.name;
  }
  for (const flag of vocab.history) NAMES[`history:${flag.id}`] = flag.name;
  // each finding under the site it points to most strongly
  const groups = new Map(vocab.sites.map((site) => [site.id, []]));
  groups.set("", []);
  for (const finding of vocab.findings) {
    const sites = Object.entries(finding.points_to).sort((a, b) => b[1] - a[1]);
    groups.get(sites.length ? sites[0][0] : "").push(finding);
  }
  const box = $("findings-by-site");
  for (const [site, findings] of groups) {
    if (!findings.length) continue;
    const name = site ? NAMES[`site:${site}`] : "General, and pointing to no one site";
    const details = el("details", {}, el("summary", {text: name}));
    const items = el("ul", {class: "ticks"});
    for (const finding of findings) {
      const id = `tick-${finding.id}`;
      const box = el("input", {type: "checkbox", id, "data-finding": finding.id});
      box.addEventListener("change", () => {
        setPresent(finding.id, box.checked);
        changed();
      });
      items.append(el("li", {}, box, el("label", {for: id, text: finding.name})));
    }
    details.append(items);
    box.append(details);
  }
  const labs = $("labs");
  for (const lab of vocab.labs) {
    const value = el("input", {type: "text", inputmode: "decimal", id: `lab-${lab.id}`,
      "aria-describedby": `lab-${lab.id}-range`, size: "7"});
    const unit = el("select", {id: `unit-${lab.id}`, "aria-label": `${lab.name} unit`});
    for (const name of lab.units) unit.append(el("option", {text: name}));
    const update = () => {
      for (const key of Object.keys(state.labs)) {
        if (labId(key) === lab.id) delete state.labs[key];
      }
      if (value.value.trim()) state.labs[lab.id] = `${value.value.trim()} ${unit.value}`;
      changed();
    };
    value.addEventListener("input", update);
    unit.addEventListener("change", update);
    labs.append(el("p", {class: "lab"},
      el("label", {for: `lab-${lab.id}`, text: lab.name}), value, unit,
      el("span", {class: "range", id: `lab-${lab.id}-range`, text: `normal ${lab.range}`})));
  }
  const history = $("history");
  for (const flag of vocab.history) {
    const id = `history-${flag.id}`;
    const box = el("input", {type: "checkbox", id, "data-flag": flag.id});
    box.addEventListener("change", () => {
      state.history = state.history.filter((f) => f !== flag.id);
      if (box.checked) state.history.push(flag.id);
      changed();
    });
    history.append(el("p", {class: "tick"}, box, el("label", {for: id, text: flag.name})));
  }
  for (const name of ["er", "pr"]) {
    $(name).addEventListener("change", () => {
      state.receptors[name] = $(name).value;
      changed();
    });
  }
  $("progression").addEventListener("change", () => {
    state.progression = $("progression").value;
    changed();
  });
  $("title").addEventListener("input", () => {
    state.title = $("title").value;
    changed();
  });
  $("sentence").addEventListener("input", () => {
    state.sentence = $("sentence").value;
    changed();
  });
  $("add-finding").addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      addTyped();
    }
  });
  $("add-finding-button").addEventListener("click", addTyped);
  $("case-form").addEventListener("submit", (event) => event.preventDefault());
}

function labId(name) {
  const said = name.toLowerCase();
  const lab = vocab.labs.find((l) => [l.id, l.name, ...l.aliases].some((w) => w.toLowerCase() === said));
  return lab ? lab.id : name;
}

function addTyped() {
  const text = $("add-finding").value.trim();
  if (!text) return;
  const denied = text.match(/^(no|not|without|absent)\s+(.+)$/i);
  if (denied && findingId(denied[2])) {
    const id = findingId(denied[2]);
    state.findings = state.findings.filter((word) => findingId(word) !== id);
    state.absent.push(denied[2]);
  } else {
    state.findings.push(text); // an unknown word gets the API's error line, with close matches
  }
  $("add-finding").value = "";
  changed();
}

function showForm() {
  setValue($("title"), state.title);
  setValue($("sentence"), state.sentence);
  for (const box of document.querySelectorAll("[data-finding]")) {
    box.checked = isPresent(box.dataset.finding);
  }
  for (const box of document.querySelectorAll("[data-flag]")) {
    box.checked = state.history.includes(box.dataset.flag);
  }
  for (const lab of vocab.labs) {
    const entry = Object.entries(state.labs).find(([name]) => labId(name) === lab.id);
    const match = entry ? String(entry[1]).match(/^\s*(\S+)\s*(.*)$/) : null;
    setValue($(`lab-${lab.id}`), match ? match[1] : "");
    const unit = $(`unit-${lab.id}`);
    const typed = match ? match[2].toLowerCase() : "";
    const found = lab.units.find((u) => u.toLowerCase() === typed);
    unit.value = found || lab.units[0];
  }
  $("er").value = state.receptors.er;
  $("pr").value = state.receptors.pr;
  $("progression").value = state.progression;
  showChips();
}

function setValue(input, value) {
  if (input.value !== value) input.value = value; // a field being typed in keeps its cursor
}

function showChips() {
  const chips = $("chips");
  chips.replaceChildren();
  const entries = [
    ...state.findings.map((word, index) => ["findings", word, index]),
    ...state.absent.map((word, index) => ["absent", word, index]),
  ];
  for (const [key, word, index] of entries) {
    const id = findingId(word);
    const name = id ? vocab.findings.find((f) => f.id === id).name : null;
    const said = word === id ? name : word; // an interview answer adds the finding's id
    const read = name && name.toLowerCase() !== said.toLowerCase() ? ` (${name})` : "";
    const label = (key === "absent" ? `absent: ${said}` : said) + read;
    chips.append(el("li", {class: key === "absent" ? "chip absent" : "chip"},
      el("span", {class: "chip-text", text: label}),
      el("button", {type: "button", "aria-label": `Remove ${label}`, text: "×", onclick: () => {
        state[key].splice(index, 1);
        changed();
      }})));
  }
}

// -- talking to the API ------------------------------------------------------------------

async function call(url, body) {
  const options = body === undefined ? {} : {
    method: "POST", headers: {"content-type": "application/json"}, body: JSON.stringify(body),
  };
  const response = await fetch(url, options);
  const type = response.headers.get("content-type") || "";
  const data = type.includes("json") ? await response.json() : await response.text();
  if (!response.ok) {
    const problem = new Error(data && data.error ? data.error : `HTTP ${response.status}`);
    problem.choices = (data && data.choices) || [];
    throw problem;
  }
  return data;
}

function changed() {
  showForm();
  resolveWords();
  saveInUrl();
  clearTimeout(timer);
  timer = setTimeout(assess, 250);
}

async function assess() {
  const mine = ++sequence;
  $("status").textContent = "Updating…";
  try {
    const answer = await call("/api/assess", caseData());
    if (mine !== sequence) return;
    report = answer;
    $("error").hidden = true;
    showReport();
    if (selected) explain(selected, false);
    $("status").textContent = "Report up to date.";
  } catch (problem) {
    if (mine !== sequence) return;
    $("error").replaceChildren(el("span", {text: `error: ${problem.message}`}));
    if (problem.choices.length) $("error").append(pickOne(problem.choices));
    $("error").hidden = false;
    $("status").textContent = "The report shows the last case that could be read.";
  }
}

// -- the report --------------------------------------------------------------------------

function conclusionButton(fact, label, extra) {
  return el("button", {type: "button", class: selected === fact ? "fact chosen" : "fact",
    "data-fact": fact, "aria-pressed": selected === fact ? "true" : "false",
    onclick: () => explain(fact, true)}, el("span", {text: label}), extra);
}

function basisText(conclusion) {
  // whether a conclusion stands on confirmed sites or waits on suspected ones
  if (!conclusion.basis) return "";
  const pending = (conclusion.pending || []).map((site) => NAMES[`site:${site}`] || site);
  return pending.length ? `${conclusion.basis}: waits on ${pending.join(", ")}`
    : conclusion.basis;
}

// A fact as a student reads it, as the terminal's report names it: "ER positive", "Bone",
// "Serum calcium (adjusted) >= 3.0", never "receptor:er=positive".
function factText(fact) {
  const colon = fact.indexOf(":");
  const kind = fact.slice(0, colon);
  const [name, value] = fact.slice(colon + 1).split("=");
  if (kind === "receptor") return `${name.toUpperCase()} ${value}`;
  if (kind === "progression") return `${value || name} progression`;
  if (kind === "absent") return denied(NAMES[`finding:${name}`] || name);
  if (kind === "site" && name === "any") return "any likely site";
  if (kind === "lab") {
    const [id, ...bound] = name.split(" ");
    return [NAMES[`lab:${id}`] || id, ...bound].join(" ");
  }
  const base = NAMES[`${kind}:${name}`] || name.replace(/_/g, " ");
  return value ? `${base}: ${value.replace(/_/g, " ")}` : base;
}

function reason(trace, fact) {
  const deciding = [...trace].reverse().find((step) => step.concludes === fact) || trace[0];
  // a default conclusion: its rule's statement ("Without ... hormone therapy is not
  // indicated"), as the terminal's report gives it; what would change it is in its explanation
  return vocab.statements[deciding.rule] || deciding.rule;
}

// A finding's name denied: "no lump or swollen lymph node in the axilla" (not "no A lump").
function denied(name) {
  const lowered = name.length > 1 && name[1] === name[1].toUpperCase() && /[A-Z]/.test(name[1])
    ? name : name[0].toLowerCase() + name.slice(1);
  return "no " + lowered.replace(/^an? /, "");
}

function showReport() {
  const box = $("report");
  box.replaceChildren();
  if (report.title) box.append(el("p", {class: "case-title", text: report.title}));
  if (Array.isArray(report.understood) && report.understood.length) {
    const list = el("ul", {class: "understood"});
    for (const item of report.understood) {
      const row = el("li", {});
      if (item.finding) {
        const name = NAMES[`finding:${item.finding}`] || item.finding;
        row.append(el("q", {text: item.text}),
          el("span", {text: ` read as ${item.present ? name : denied(name)} (${item.how})`}));
        if (item.not_said && item.not_said.length) {
          row.append(el("span", {class: "muted", text: `; not said: ${item.not_said.join(", ")}`}));
        }
      } else {
        // the words come from the reader itself (vocab.not_counted, by how it was read)
        const notCounted = vocab.not_counted[item.how];
        row.append(el("q", {text: item.text}),
          el("span", {text: notCounted ? `: ${notCounted}, not counted` : " could not be read"}));
        if (notCounted && item.past_finding) {
          const name = NAMES[`finding:${item.past_finding}`] || item.past_finding;
          row.append(el("span", {class: "muted", text: ` (${name})`}));
        }
        if (item.choices && item.choices.length) row.append(pickOne(item.choices));
        else if (!notCounted) row.append(choicesFor(item.text));
      }
      list.append(row);
    }
    box.append(el("h3", {text: "What the text was read as"}), list);
  }

  box.append(el("h3", {text: "Likely sites"}));
  if (!report.sites.length) box.append(el("p", {text: "None: nothing entered points to a site."}));
  const threshold = vocab.site_threshold;
  const sites = el("ul", {class: "sites"});
  for (const site of report.sites) {
    const bar = el("span", {class: "bar", role: "img",
      "aria-label": `certainty ${site.certainty.toFixed(2)}; threshold ${threshold}`});
    const fill = el("span", {class: site.certainty >= threshold ? "fill over" : "fill"});
    fill.style.width = `${Math.round(site.certainty * 100)}%`;
    const mark = el("span", {class: "threshold", title: `threshold ${threshold}`});
    mark.style.left = `${threshold * 100}%`;
    bar.append(fill, mark);
    sites.append(el("li", {}, conclusionButton(`site:${site.id}`, NAMES[`site:${site.id}`],
      el("span", {class: "number", text: site.certainty.toFixed(2)})), bar));
  }
  box.append(sites);
  if (report.sites.length) {
    box.append(el("p", {class: "muted",
      text: `The line on each bar marks ${threshold}: the certainty a site needs before treatments are weighed.`}));
  }

  box.append(el("h3", {text: "Suggested tests"}));
  const tests = el("ul", {class: "plain"});
  for (const test of report.tests) {
    tests.append(el("li", {}, conclusionButton(`test:${test.id}`, NAMES[`test:${test.id}`])));
  }
  box.append(report.tests.length ? tests : el("p", {text: "None."}));

  box.append(el("h3", {text: "Treatments"}));
  const table = el("table", {class: "treatments"},
    el("thead", {}, el("tr", {}, el("th", {scope: "col", text: "Treatment"}),
      el("th", {scope: "col", text: "Status"}), el("th", {scope: "col", text: "Why"}))));
  const body = el("tbody");
  for (const treatment of report.treatments) {
    const fact = `treatment:${treatment.id}=${treatment.status}`;
    const basis = basisText(treatment);
    body.append(el("tr", {},
      el("th", {scope: "row"}, conclusionButton(fact, NAMES[`treatment:${treatment.id}`])),
      el("td", {}, el("span", {class: `status ${treatment.status}`,
        text: treatment.status.replace("_", " ")}),
        basis ? el("span", {class: "basis", text: basis}) : null),
      el("td", {text: reason(treatment.trace, fact)})));
  }
  table.append(body);
  box.append(table);

  const levels = el("dl", {class: "levels"});
  for (const kind of ["urgency", "extent", "prognosis"]) {
    const graded = report[kind];
    const fact = `${kind}:${graded.level}`;
    levels.append(el("dt", {text: kind[0].toUpperCase() + kind.slice(1)}),
      el("dd", {}, conclusionButton(fact, graded.level.replace("_", " ")),
        graded.basis ? el("span", {class: "basis", text: basisText(graded)}) : null));
  }
  box.append(levels);
  box.append(el("p", {class: "disclaimer-small", text: report.disclaimer}));
}

function pickOne(choices) {
  // text that could mean several findings: a button for each, which adds that finding
  const span = el("span", {class: "choices"}, el("span", {text: " Pick one: "}));
  for (const id of choices) {
    span.append(el("button", {type: "button", class: "small",
      text: NAMES[`finding:${id}`] || id, onclick: () => {
        setPresent(id, true);
        changed();
      }}));
  }
  return span;
}

function choicesFor(text) {
  const span = el("span", {class: "choices"});
  call(`/api/vocab?word=${encodeURIComponent(text)}`).then((said) => {
    if (!said.closest.length) return;
    span.append(el("span", {text: " did you mean: "}));
    for (const view of said.closest.slice(0, 3)) {
      span.append(el("button", {type: "button", class: "small", text: view.name, onclick: () => {
        setPresent(view.id, true);
        changed();
      }}));
    }
  }).catch(() => {});
  return span;
}

// -- explanations ------------------------------------------------------------------------

function traceOf(fact) {
  for (const item of [...report.sites, ...report.tests, ...report.treatments]) {
    const own = item.status ? `treatment:${item.id}=${item.status}`
      : report.sites.includes(item) ? `site:${item.id}` : `test:${item.id}`;
    if (own === fact) return item.trace;
  }
  for (const kind of ["urgency", "extent", "prognosis"]) {
    if (`${kind}:${report[kind].level}` === fact) return report[kind].trace;
  }
  return null;
}

function explain(fact, focus) {
  const trace = traceOf(fact);
  selected = trace ? fact : null;
  for (const button of document.querySelectorAll("button.fact")) {
    const on = button.dataset.fact === selected;
    button.classList.toggle("chosen", on);
    button.setAttribute("aria-pressed", on ? "true" : "false");
  }
  const chain = $("chain");
  chain.replaceChildren();
  $("graph-figure").hidden = !trace;
  $("explain-hint").hidden = Boolean(trace);
  if (!trace) {
    showArticle(null);
    return;
  }
  const heading = el("h3", {tabindex: "-1", text: `How: ${NAMES[fact.split("=")[0]] || fact}`});
  chain.append(heading);
  const steps = el("ol", {class: "steps"});
  let firstQuote = null;
  for (const step of trace) {
    const item = el("li", {class: "step"});
    item.append(el("p", {}, el("code", {text: step.rule}),
      el("span", {text: step.cf !== undefined ? ` (cf ${step.cf >= 0 ? "+" : ""}${step.cf.toFixed(2)})` : ""})));
    if (vocab.statements[step.rule]) item.append(el("p", {text: vocab.statements[step.rule]}));
    item.append(el("p", {class: "because",
      text: step.because.length ? `because ${step.because.join(", ")} → ${step.concludes}`
        : `by default → ${step.concludes}`}));
    if (step.detail) item.append(el("p", {class: "muted", text: step.detail}));
    if (step.missing && step.missing.length) {
      const missing = step.missing.map(factText).join(", ");
      item.append(el("p", {class: "muted", text: `would change with: ${missing}`}));
    }
    if (step.quote) {
      firstQuote = firstQuote || step.quote;
      item.append(el("blockquote", {}, el("span", {text: `“${step.quote}” `}),
        el("button", {type: "button", class: "small", text: "Show in the article",
          onclick: () => showArticle(step.quote, true)})));
    }
    if (step.reference) item.append(el("p", {class: "muted", text: `Reference: ${step.reference}`}));
    if (step.note) item.append(el("p", {class: "muted", text: `Note: ${step.note}`}));
    steps.append(item);
  }
  chain.append(steps);
  showArticle(firstQuote, false);
  drawGraph(fact);
  if (focus) heading.focus();
}

function showArticle(quote, scroll) {
  const box = $("article");
  box.replaceChildren();
  if (!quote) {
    box.textContent = article;
    return;
  }
  const words = quote.trim().split(/\s+/).map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  const found = new RegExp(words.join("\\s+")).exec(article);
  if (!found) {
    box.textContent = article;
    return;
  }
  const mark = el("mark", {id: "quote", tabindex: "-1", text: found[0]});
  box.append(document.createTextNode(article.slice(0, found.index)), mark,
    document.createTextNode(article.slice(found.index + found[0].length)));
  box.scrollTop = Math.max(0, mark.offsetTop - box.offsetTop - 40);
  if (scroll) mark.focus();
}

// -- the explanation graph: a layered drawing in SVG ---------------------------------------

const SVG = "http://www.w3.org/2000/svg";

function svg(tag, attributes = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

async function drawGraph(fact) {
  const mine = sequence;
  let graph;
  try {
    graph = await call("/api/graph/json", caseData());
  } catch (problem) {
    return;
  }
  if (mine !== sequence || selected !== fact) return;
  // only what leads to the chosen conclusion
  const keep = new Set([fact]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const edge of graph.edges) {
      if (keep.has(edge.target) && !keep.has(edge.source)) {
        keep.add(edge.source);
        grew = true;
      }
    }
  }
  const nodes = graph.nodes.filter((n) => keep.has(n.fact));
  const edges = graph.edges.filter((e) => keep.has(e.source) && keep.has(e.target));
  const layer = new Map(nodes.map((n) => [n.fact, 0]));
  for (let round = 0; round < nodes.length; round++) {
    for (const edge of edges) {
      if (layer.get(edge.target) < layer.get(edge.source) + 1) {
        layer.set(edge.target, layer.get(edge.source) + 1);
      }
    }
  }
  const columns = [];
  for (const node of nodes) {
    const at = layer.get(node.fact);
    (columns[at] = columns[at] || []).push(node);
  }
  const width = 190, height = 34, gapX = 70, gapY = 16;
  const place = new Map();
  columns.forEach((column, x) => column.forEach((node, y) => {
    place.set(node.fact, {x: 10 + x * (width + gapX), y: 10 + y * (height + gapY)});
  }));
  const tall = Math.max(...columns.map((c) => c.length));
  const total = {w: 20 + columns.length * (width + gapX) - gapX, h: 20 + tall * (height + gapY)};
  const drawing = svg("svg", {viewBox: `0 0 ${total.w} ${total.h}`, width: total.w,
    height: total.h, role: "img", "aria-labelledby": "graph-title"});
  drawing.append(svg("title", {id: "graph-title"}, `How ${fact} was reached`));
  const defs = svg("defs");
  const marker = svg("marker", {id: "arrow", viewBox: "0 0 10 10", refX: "10", refY: "5",
    markerWidth: "6", markerHeight: "6", orient: "auto-start-reverse"});
  marker.append(svg("path", {d: "M 0 0 L 10 5 L 0 10 z", class: "arrow"}));
  defs.append(marker);
  drawing.append(defs);
  for (const edge of edges) {
    const a = place.get(edge.source), b = place.get(edge.target);
    const line = svg("line", {x1: a.x + width, y1: a.y + height / 2, x2: b.x, y2: b.y + height / 2,
      class: "edge", "marker-end": "url(#arrow)"});
    line.append(svg("title", {}, edge.label));
    drawing.append(line);
  }
  for (const node of nodes) {
    const at = place.get(node.fact);
    const group = svg("g", {class: `node ${node.kind}${node.fact === fact ? " chosen" : ""}`});
    group.append(svg("rect", {x: at.x, y: at.y, width, height, rx: "6"}));
    const label = node.label.length > 28 ? `${node.label.slice(0, 27)}…` : node.label;
    group.append(svg("text", {x: at.x + 8, y: at.y + height / 2 + 4}, label));
    group.append(svg("title", {}, node.label));
    drawing.append(group);
  }
  $("graph").replaceChildren(drawing);
}

// -- the interview -----------------------------------------------------------------------

async function nextQuestion() {
  $("interview").hidden = false;
  $("why-text").hidden = true;
  try {
    const answer = await call("/api/interview", {
      case: caseData(), unknown: interview.unknown, asked: interview.history.length,
    });
    interview.question = answer.question;
    report = answer.report;
    showReport();
    const question = $("question");
    if (!answer.question) {
      question.textContent = answer.note
        ? `${answer.note} The report is final.`
        : "No further question would change the outcome. The report is final.";
      for (const button of document.querySelectorAll("[data-answer], #why")) button.disabled = true;
    } else {
      question.textContent = `Q${interview.history.length + 1}. ${answer.question.text}`;
      for (const button of document.querySelectorAll("[data-answer], #why")) button.disabled = false;
    }
    $("back").disabled = interview.history.length === 0;
    $("error").hidden = true;
  } catch (problem) {
    $("error").textContent = `error: ${problem.message}`;
    $("error").hidden = false;
  }
}

function startInterview() {
  interview = {history: [], unknown: [], question: null};
  nextQuestion().then(() => $("question").focus());
}

function answerQuestion(answer) {
  const question = interview.question;
  if (!question) return;
  interview.history.push({state: JSON.parse(JSON.stringify(state)), unknown: [...interview.unknown]});
  if (answer === "unknown") interview.unknown.push(question.key);
  else {
    const sentence = state.sentence;
    state = fromCaseData(question[answer]);
    state.sentence = sentence; // sent as a finding until cases carry a narrative: not twice
    state.findings = state.findings.filter((word) => word !== sentence);
  }
  showForm();
  saveInUrl();
  nextQuestion();
}

function back() {
  const last = interview.history.pop();
  if (!last) return;
  state = last.state;
  interview.unknown = last.unknown;
  showForm();
  saveInUrl();
  nextQuestion();
}

function why() {
  const box = $("why-text");
  box.replaceChildren(...interview.question.why.map((line) => el("p", {text: line})));
  box.hidden = false;
}

function how() {
  if (!report) return;
  const top = report.sites.length ? `site:${report.sites[0].id}` : `urgency:${report.urgency.level}`;
  explain(top, true);
}

// -- links: library cases and shared cases ---------------------------------------------------

function saveInUrl() {
  const data = JSON.stringify(caseData());
  history.replaceState(null, "", `#case=${encodeURIComponent(data)}`);
}

async function loadFromUrl() {
  const hash = location.hash.slice(1);
  const [key, ...rest] = hash.split("=");
  const value = decodeURIComponent(rest.join("="));
  try {
    if (key === "library" && value) {
      state = fromCaseData(await call(`/api/cases/${value.split("/").map(encodeURIComponent).join("/")}`));
      $("library").value = value;
    } else if (key === "case" && value) {
      state = fromCaseData(JSON.parse(value));
    } else {
      state = emptyCase();
    }
  } catch (problem) {
    state = emptyCase();
    $("error").textContent = `error: ${problem.message}`;
    $("error").hidden = false;
  }
  showForm();
  resolveWords();
  clearTimeout(timer);
  await assess();
}

async function fillLibrary() {
  const select = $("library");
  for (const item of await call("/api/cases")) {
    select.append(el("option", {value: item.path, text: `${item.path} — ${item.title || item.id}`}));
  }
  select.addEventListener("change", () => {
    if (select.value) location.hash = `library=${select.value}`;
  });
}

// -- the print view ------------------------------------------------------------------------

function inline(text) {
  // The handout's inline Markdown as elements: backslash escapes, code spans and **bold**;
  // everything else stays text (the handout escapes a case's own text, e.g. a title).
  const root = [];
  let strong = null;
  let buffer = "";
  const flush = () => {
    if (!buffer) return;
    if (strong) strong.append(buffer);
    else root.push(document.createTextNode(buffer));
    buffer = "";
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === "\\" && i + 1 < text.length && /[!-/:-@[-`{-~]/.test(text[i + 1])) {
      buffer += text[i + 1];
      i += 2;
    } else if (c === "`") {
      const fence = text.slice(i).match(/^`+/)[0];
      const close = text.indexOf(fence, i + fence.length);
      if (close === -1) {
        buffer += fence;
        i += fence.length;
        continue;
      }
      let code = text.slice(i + fence.length, close);
      if (code.startsWith(" ") && code.endsWith(" ") && code.trim()) code = code.slice(1, -1);
      flush();
      const node = el("code", {text: code});
      if (strong) strong.append(node);
      else root.push(node);
      i = close + fence.length;
    } else if (text.startsWith("**", i)) {
      flush();
      if (strong) strong = null;
      else {
        strong = el("strong");
        root.push(strong);
      }
      i += 2;
    } else {
      buffer += c;
      i += 1;
    }
  }
  flush();
  return root;
}

function renderMarkdown(markdown) {
  const out = [];
  let list = null, table = null;
  for (const line of markdown.split("\n")) {
    if (!line.startsWith("- ") && !/^\d+\. /.test(line)) list = null;
    if (!line.startsWith("|")) table = null;
    let match;
    if ((match = line.match(/^(#{1,4}) (.*)$/))) {
      out.push(el(`h${Math.min(match[1].length + 2, 6)}`, {}, ...inline(match[2])));
    } else if (line.startsWith("> ")) {
      out.push(el("blockquote", {}, ...inline(line.slice(2))));
    } else if ((match = line.match(/^(?:- |\d+\. )(.*)$/))) {
      if (!list) out.push((list = el(line.startsWith("- ") ? "ul" : "ol")));
      list.append(el("li", {}, ...inline(match[1])));
    } else if (line.startsWith("|")) {
      if (/^\|[\s\-:|]+\|$/.test(line)) continue;
      const cells = line.slice(1, -1).split(/(?<!\\)\|/).map((c) => c.trim());
      if (!table) {
        out.push((table = el("table", {})));
        table.append(el("tr", {}, ...cells.map((c) => el("th", {scope: "col"}, ...inline(c)))));
      } else table.append(el("tr", {}, ...cells.map((c) => el("td", {}, ...inline(c)))));
    } else if (line.trim()) {
      out.push(el("p", {}, ...inline(line)));
    }
  }
  return out;
}

async function printView() {
  try {
    const markdown = await call("/api/handout", caseData());
    $("handout").replaceChildren(...renderMarkdown(markdown));
    $("main").hidden = true;
    $("print-view").hidden = false;
    $("print-heading").setAttribute("tabindex", "-1");
    $("print-heading").focus();
  } catch (problem) {
    $("error").textContent = `error: ${problem.message}`;
    $("error").hidden = false;
  }
}

function closePrintView() {
  $("print-view").hidden = true;
  $("main").hidden = false;
  $("print").focus();
}

// -- start -------------------------------------------------------------------------------

async function start() {
  vocab = await call("/api/vocab");
  article = await call("/api/article");
  buildForm();
  showArticle(null);
  await fillLibrary();
  $("share").addEventListener("click", () => {
    saveInUrl();
    $("share-row").hidden = false;
    $("share-url").value = location.href;
    $("share-url").select();
  });
  $("print").addEventListener("click", printView);
  $("print-now").addEventListener("click", () => window.print());
  $("print-close").addEventListener("click", closePrintView);
  $("clear").addEventListener("click", () => {
    state = emptyCase();
    interview = null;
    $("interview").hidden = true;
    changed();
  });
  $("interview-start").addEventListener("click", startInterview);
  for (const button of document.querySelectorAll("[data-answer]")) {
    button.addEventListener("click", () => answerQuestion(button.dataset.answer));
  }
  $("why").addEventListener("click", why);
  $("how").addEventListener("click", how);
  $("back").addEventListener("click", back);
  $("question").setAttribute("tabindex", "-1");
  // the page itself writes the URL with replaceState, which fires no hashchange: this is
  // a link followed or an address typed
  window.addEventListener("hashchange", loadFromUrl);
  await loadFromUrl();
  document.body.dataset.ready = "true";
}

start().catch((problem) => {
  $("error").textContent = `error: the page could not start: ${problem.message}`;
  $("error").hidden = false;
});
