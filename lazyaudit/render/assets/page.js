"use strict";
// The lazyaudit HTML report: an icicle chart of the import tree and sortable tables,
// drawn from the JSON in #lazyaudit-data (lazyaudit/render/html.py names its fields).
(function () {
  const data = JSON.parse(document.getElementById("lazyaudit-data").textContent);
  const F = {};
  data.fields.forEach((name, i) => { F[name] = i; });
  const MIB = 1048576;
  const ROW_HEIGHT = 18;
  const HUES = [[150, 18], [24, 85], [212, 62]];   // stdlib, first-party, third-party
  const names = data.names, rows = data.m, stages = data.stages;

  // Node ids: 0 = the whole boot, 1..stages = the stages, then the modules in report order.
  const FIRST = 1 + stages.length;
  const N = FIRST + rows.length;
  const parentOf = new Int32Array(N).fill(-1);
  const depth = new Int32Array(N);
  const children = Array.from({ length: N }, () => []);
  stages.forEach((_, s) => { parentOf[1 + s] = 0; children[0].push(1 + s); });
  rows.forEach((r, i) => {
    // A module hangs under the module executing when it loaded, else under its stage.
    const parent = r[F.parent] >= 0 ? FIRST + r[F.parent] : 1 + r[F.stage];
    parentOf[FIRST + i] = parent;
    children[parent].push(FIRST + i);
  });
  const order = [0];   // breadth first: every parent before its children
  for (let k = 0; k < order.length; k++) {
    for (const child of children[order[k]]) {
      depth[child] = depth[order[k]] + 1;
      order.push(child);
    }
  }
  const moduleNode = new Map(names.map((name, i) => [name, FIRST + i]));
  const candidateOf = new Map(data.candidates.map(c => [c[0], c]));

  // Costs as [private, shared, traced, microseconds]; stages and the boot add up their roots.
  const cumCost = r => [r[F.cum_anon], r[F.cum_file], r[F.cum_traced], r[F.cum_us]];
  const selfCost = r => [r[F.self_anon], r[F.self_file], r[F.self_traced], r[F.self_us]];
  const stageCost = stages.map(() => [0, 0, 0, 0]);
  const stageModules = stages.map(() => 0);
  rows.forEach(r => {
    stageModules[r[F.stage]] += 1;
    if (r[F.parent] < 0) cumCost(r).forEach((v, j) => { stageCost[r[F.stage]][j] += v; });
  });
  const bootCost = [0, 1, 2, 3].map(j => stageCost.reduce((sum, c) => sum + c[j], 0));

  const MEASURES = {   // what a block's width shows, taken from a cost
    rss: { label: "RSS", of: c => c[0] + c[1] },
    tracemalloc: { label: "tracemalloc", of: c => c[2] },
    time: { label: "time", of: c => c[3] },
  };
  let measure = MEASURES.rss;
  let focus = 0;
  const value = new Float64Array(N);

  function mib(bytes) { return (bytes / MIB).toFixed(1); }
  function msec(us) { return (us / 1000).toFixed(1); }
  function percent(part, whole) { return whole > 0 ? (100 * part / whole).toFixed(1) + "%" : "-"; }
  function esc(text) {
    return String(text).replace(/[&<>"']/g, ch => "&#" + ch.charCodeAt(0) + ";");
  }
  function rssText(c) {
    return `${mib(c[0] + c[1])} MiB <span class="sub">(private ${mib(c[0])}, shared ${mib(c[1])})</span>`;
  }

  // A node's width is its cumulative cost, or its children's when they add up to more
  // (measurement noise), so children always fit inside their parent.
  function computeValues() {
    value.fill(0);
    for (let k = order.length - 1; k >= 0; k--) {
      const n = order[k];
      let sum = 0;
      for (const child of children[n]) sum += value[child];
      const own = n >= FIRST ? Math.max(0, measure.of(cumCost(rows[n - FIRST]))) : 0;
      value[n] = Math.max(own, sum);
    }
    for (let n = 1; n < N; n++) {   // biggest first; the stages keep their order
      if (children[n].length > 1) children[n].sort((a, b) => value[b] - value[a] || a - b);
    }
  }

  // ---- the chart -------------------------------------------------------------------
  const chart = document.getElementById("chart");
  const elements = new Array(N);
  function label(n) {
    if (n === 0) return "all imports of " + data.target;
    if (n < FIRST) return `${stages[n - 1][0]}: ${stages[n - 1][1]}`;
    return names[n - FIRST];
  }
  function hash(text) {
    let h = 7;
    for (let i = 0; i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) | 0;
    return Math.abs(h);
  }
  (function createNodes() {
    const fragment = document.createDocumentFragment();
    for (let n = 0; n < N; n++) {
      const el = document.createElement("div");
      el.dataset.id = n;
      el.textContent = label(n);
      if (n === 0) el.className = "node root";
      else if (n < FIRST) el.className = "node stage";
      else {
        const name = names[n - FIRST];
        const [hue, saturation] = HUES[rows[n - FIRST][F.kind]];
        el.className = "node k" + rows[n - FIRST][F.kind];
        el.dataset.name = name;
        el.style.background = `hsl(${hue}, ${saturation}%, ${56 + hash(name) % 14}%)`;
      }
      elements[n] = el;
      fragment.appendChild(el);
    }
    chart.appendChild(fragment);
  })();

  const x = new Float64Array(N), width = new Float64Array(N);
  function layout() {
    const full = chart.clientWidth;
    width.fill(0);
    x[focus] = 0;
    width[focus] = full;
    const stack = [focus];
    while (stack.length) {
      const n = stack.pop();
      const scale = value[n] > 0 ? width[n] / value[n] : 0;
      let left = x[n];
      for (const child of children[n]) {
        x[child] = left;
        width[child] = value[child] * scale;
        left += width[child];
        if (width[child] >= 0.5) stack.push(child);   // smaller ones have nothing to show
      }
    }
    let deepest = 0;
    for (let n = 0; n < N; n++) {
      const style = elements[n].style;
      if (width[n] < 0.5) {
        if (style.display !== "none") style.display = "none";
        continue;
      }
      const row = depth[n] - depth[focus];
      deepest = Math.max(deepest, row);
      style.display = "";
      style.left = x[n] + "px";
      style.width = width[n] + "px";
      style.top = row * ROW_HEIGHT + "px";
      elements[n].classList.toggle("narrow", width[n] < 28);
      elements[n].classList.toggle("focus", n === focus && n !== 0);
    }
    chart.style.height = (deepest + 1) * ROW_HEIGHT + 2 + "px";
  }

  const pathNav = document.getElementById("path");
  function renderPath() {
    const chain = [];
    for (let n = focus; n >= 0; n = parentOf[n]) chain.unshift(n);
    pathNav.innerHTML = chain.map((n, i) => (i === chain.length - 1
      ? `<b>${esc(n === 0 ? "all" : label(n))}</b>`
      : `<a data-id="${n}">${esc(n === 0 ? "all" : label(n))}</a>`)).join(" \u203a ");
  }
  pathNav.addEventListener("click", e => {
    const link = e.target.closest("a[data-id]");
    if (link) zoom(+link.dataset.id);
  });

  function zoom(n) {
    focus = n;
    layout();
    renderPath();
    hideTip();
  }
  chart.addEventListener("click", e => {
    const el = e.target.closest(".node");
    if (!el) return;
    const n = +el.dataset.id;
    zoom(n === focus ? Math.max(parentOf[n], 0) : n);
  });
  document.getElementById("reset").addEventListener("click", () => zoom(0));
  document.addEventListener("keydown", e => { if (e.key === "Escape") zoom(0); });
  let resizing = false;
  window.addEventListener("resize", () => {
    if (resizing) return;
    resizing = true;
    requestAnimationFrame(() => { resizing = false; layout(); });
  });

  // ---- the tooltip -----------------------------------------------------------------
  const tip = document.getElementById("tip");
  let tipNode = -1;
  function hideTip() { tip.hidden = true; tipNode = -1; }
  function costRows(cumulative, self) {
    const traced = c => data.traced ? mib(c[2]) + " MiB" : "not measured";
    const line = (name, f) => `<tr><th>${name}</th><td>${f(cumulative)}</td>` +
      (self ? `<td>${f(self)}</td>` : "") + "</tr>";
    return "<table>" + (self ? "<tr><th></th><th>cumulative</th><th>self</th></tr>" : "") +
      line("RSS", rssText) + line("tracemalloc", traced) +
      line("time", c => msec(c[3]) + " ms") + "</table>";
  }
  function candidateText(c) {
    const [, verdict, reason] = c;
    if (verdict === "safe") {
      return `<b style="color:var(--safe)">safe to defer</b>: saves ${mib(c[3] + c[4])} MiB ` +
        `(private ${mib(c[3])}, shared ${mib(c[4])}), ${c[7]} modules; fix: ${esc(c[11])}`;
    }
    const moved = verdict === "unsafe" && c[8] > 0 ? ` (moving it by hand: ${mib(c[8])} MiB)` : "";
    return `<b>${esc(verdict)}</b>: ${esc(reason)}${moved}`;
  }
  function tipHtml(n) {
    const share = `${measure.label}: ${percent(value[n], value[0])} of all imports` +
      (n > 0 && parentOf[n] > 0 ? `, ${percent(value[n], value[parentOf[n]])} of ${esc(label(parentOf[n]))}` : "");
    if (n === 0) {
      return `<h3>${esc(data.target)}</h3><div class="sub">${rows.length} modules, Python ${esc(data.python)}</div>` +
        costRows(bootCost) + `<div class="sub">what the imports of the boot cost</div>`;
    }
    if (n < FIRST) {
      return `<h3>stage ${esc(stages[n - 1][0])}</h3><div class="sub">${esc(stages[n - 1][1])}; ` +
        `${stageModules[n - 1]} modules</div>` + costRows(stageCost[n - 1]) + `<div class="sub">${share}</div>`;
    }
    const r = rows[n - FIRST];
    const name = names[n - FIRST];
    const distribution = r[F.distribution] >= 0 ? " \u00b7 " + esc(data.strings[r[F.distribution]]) : "";
    let html = `<h3>${esc(name)}</h3><div class="sub">${data.kinds[r[F.kind]]}${distribution}` +
      ` \u00b7 stage ${esc(stages[r[F.stage]][0])}</div>` + costRows(cumCost(r), selfCost(r)) +
      `<div class="sub">${share}</div>`;
    const candidate = candidateOf.get(name);
    if (candidate) html += `<div class="verdict">${candidateText(candidate)}</div>`;
    const importer = r[F.importer];
    if (importer >= 0 && importer !== r[F.parent]) {
      html += `<div class="sub">asked for by ${esc(names[importer])} while ${esc(label(parentOf[n]))} was loading</div>`;
    }
    html += "<div>Import chain:</div><ol>";
    const chain = [];
    for (let a = n; a >= FIRST; a = parentOf[a]) chain.unshift(a);
    html += `<li>${esc(stages[r[F.stage]][1])}</li>`;
    chain.forEach((a, i) => {
      const link = rows[a - FIRST];
      const site = link[F.site_file] >= 0
        ? `  <span class="site">${esc(data.strings[link[F.site_file]])}${link[F.site_line] ? ":" + link[F.site_line] : ""}</span>` : "";
      html += `<li>${"\u00a0".repeat(2 * i + 2)}\u2192 ${esc(names[a - FIRST])}${site}</li>`;
    });
    return html + "</ol>";
  }
  function placeTip(cx, cy) {
    const pad = 14, w = tip.offsetWidth, h = tip.offsetHeight;
    let left = cx + pad, top = cy + pad;
    if (left + w > window.innerWidth - 4) left = Math.max(4, cx - w - pad);
    if (top + h > window.innerHeight - 4) top = Math.max(4, window.innerHeight - h - 4);
    tip.style.left = left + "px";
    tip.style.top = top + "px";
  }
  chart.addEventListener("mousemove", e => {
    const el = e.target.closest(".node");
    if (!el) { hideTip(); return; }
    const n = +el.dataset.id;
    if (n !== tipNode) {
      tip.innerHTML = tipHtml(n);
      tip.hidden = false;
      tipNode = n;
    }
    placeTip(e.clientX, e.clientY);
  });
  chart.addEventListener("mouseleave", hideTip);

  // ---- tables ----------------------------------------------------------------------
  // columns: {label, num, value(row) to sort by, text(row) to show, link(row): a module name}
  function sortableTable(table, columns, currentRows) {
    const head = table.createTHead().insertRow();
    const body = table.createTBody();
    let sorted = -1, descending = false;
    columns.forEach((column, i) => {
      const th = document.createElement("th");
      th.textContent = column.label;
      if (column.num) th.className = "num";
      if (column.title) th.title = column.title;
      th.addEventListener("click", () => sortBy(i));
      head.appendChild(th);
    });
    function fill() {
      let list = currentRows();
      if (sorted >= 0) {
        const { value: key } = columns[sorted];
        const sortKey = row => { const v = key(row); return typeof v === "string" ? v.toLowerCase() : v; };
        list = list.slice().sort((a, b) => {
          const va = sortKey(a), vb = sortKey(b);
          const order = va < vb ? -1 : va > vb ? 1 : 0;
          return descending ? -order : order;
        });
      }
      const fragment = document.createDocumentFragment();
      for (const row of list) {
        const tr = document.createElement("tr");
        for (const column of columns) {
          const td = tr.insertCell();
          if (column.num) td.className = "num";
          if (column.cls) td.className = column.cls(row);
          const text = column.text ? column.text(row) : column.value(row);
          const name = column.link && column.link(row);
          if (name && moduleNode.has(name)) {
            const a = document.createElement("a");
            a.textContent = text;
            a.dataset.module = name;
            a.title = "show in the import tree";
            td.appendChild(a);
          } else td.textContent = text;
        }
        fragment.appendChild(tr);
      }
      body.replaceChildren(fragment);
    }
    function sortBy(i) {
      descending = i === sorted ? !descending : !!columns[i].num;   // numbers: biggest first
      sorted = i;
      head.querySelectorAll("th").forEach((th, j) => {
        if (j === i) th.setAttribute("aria-sort", descending ? "descending" : "ascending");
        else th.removeAttribute("aria-sort");
      });
      fill();
    }
    body.addEventListener("click", e => {
      const a = e.target.closest("a[data-module]");
      if (!a) return;
      zoom(moduleNode.get(a.dataset.module));
      document.getElementById("tree").scrollIntoView({ behavior: "instant", block: "start" });
    });
    fill();
    return { fill, sortBy };
  }
  const mibColumn = (label, get, title) => ({ label, num: true, title, value: get, text: r => mib(get(r)) });

  const showAll = document.getElementById("show-all");
  showAll.checked = data.show_all;
  // Candidates the table lists are marked in the chart too.
  function markCandidates() {
    for (const c of data.candidates) {
      const n = moduleNode.get(c[0]);
      if (n !== undefined) elements[n].classList.toggle(c[1], showAll.checked || c[12]);
    }
  }
  const candidateTable = sortableTable(document.getElementById("candidates"), [
    { label: "module", value: c => c[0], link: c => c[0] },
    { label: "verdict", value: c => c[1], cls: c => "verdict-" + c[1] },
    {
      label: "saves MiB", num: true, title: "what deferring it takes out of every worker",
      value: c => c[3] + c[4],
      text: c => mib(c[3] + c[4]) + (c[1] === "unsafe" && c[8] > 0 ? ` (${mib(c[8])} if moved)` : ""),
    },
    mibColumn("private", c => c[3]),
    mibColumn("shared", c => c[4]),
    mibColumn("tracemalloc", c => c[5]),
    { label: "time ms", num: true, value: c => c[6], text: c => msec(c[6]) },
    { label: "modules saved", num: true, value: c => c[7] },
    { label: "import sites", value: c => c[9] },
    { label: "deferred uses", value: c => c[10] },
    { label: "fix", value: c => c[11] },
    { label: "reason", value: c => c[2] },
  ], () => data.candidates.filter(c => showAll.checked || c[12]));
  showAll.addEventListener("change", () => { candidateTable.fill(); markCandidates(); });
  markCandidates();
  if (!data.candidates.length) {
    document.getElementById("no-candidates").hidden = false;
    document.getElementById("show-all-label").hidden = true;
    document.getElementById("candidates").hidden = true;
  }

  const packageTable = sortableTable(document.getElementById("packages"), [
    { label: "package", value: p => p[0] },
    { label: "kind", value: p => p[1] },
    { label: "modules", num: true, value: p => p[2] },
    mibColumn("cum RSS MiB", p => p[3] + p[4], "cumulative: with what the package's modules loaded"),
    mibColumn("private", p => p[3]),
    mibColumn("shared", p => p[4]),
    mibColumn("self RSS MiB", p => p[7] + p[8], "the package's own modules only"),
    mibColumn("tracemalloc MiB", p => p[5]),
    { label: "time ms", num: true, value: p => p[6], text: p => msec(p[6]) },
  ], () => data.packages);
  packageTable.sortBy(3);

  // ---- stages ----------------------------------------------------------------------
  const stageTable = document.getElementById("stages");
  function renderStages() {
    const whole = measure.of(bootCost);
    let html = "<thead><tr><th>stage</th><th>entry point</th><th class=\"num\">modules</th>" +
      "<th class=\"num\">RSS MiB</th><th class=\"num\">private</th><th class=\"num\">shared</th>" +
      "<th class=\"num\">tracemalloc MiB</th><th class=\"num\">time ms</th>" +
      `<th>share of ${measure.label}</th></tr></thead><tbody>`;
    stages.forEach(([stage, entry], s) => {
      const c = stageCost[s];
      const share = whole > 0 ? measure.of(c) / whole : 0;
      html += `<tr><td>${esc(stage)}</td><td>${esc(entry)}</td><td class="num">${stageModules[s]}</td>` +
        `<td class="num">${mib(c[0] + c[1])}</td><td class="num">${mib(c[0])}</td><td class="num">${mib(c[1])}</td>` +
        `<td class="num">${data.traced ? mib(c[2]) : "-"}</td><td class="num">${msec(c[3])}</td>` +
        `<td><span class="bar" style="width:${(240 * Math.max(0, share)).toFixed(1)}px"></span> ` +
        `${percent(measure.of(c), whole)}</td></tr>`;
    });
    stageTable.innerHTML = html + "</tbody>";
  }

  // ---- the measure switch ----------------------------------------------------------
  function setMeasure(key) {
    measure = MEASURES[key];
    computeValues();
    layout();
    renderStages();
    hideTip();
  }
  const measureInputs = document.querySelectorAll("input[name=measure]");
  measureInputs.forEach(input => {
    if (input.value === "tracemalloc" && !data.traced) {
      input.disabled = true;
      input.parentElement.title = "measured with --no-tracemalloc";
    }
    input.addEventListener("change", () => setMeasure(input.value));
  });
  // Without RSS figures (no /proc/self/statm and no getrusage) start with time.
  const first = MEASURES.rss.of(bootCost) > 0 ? "rss" : "time";
  measureInputs.forEach(input => { input.checked = input.value === first; });

  document.getElementById("target").textContent = data.target;
  document.getElementById("version").textContent = data.version;
  document.getElementById("summary").replaceChildren(...data.lines.map(line => {
    const li = document.createElement("li");
    li.textContent = line;
    return li;
  }));
  setMeasure(first);
  renderPath();
  document.body.dataset.ready = "true";
  document.body.dataset.renderMs = performance.now().toFixed(0);
})();
