// The report page's CSS and JS. Constraints (html_report.hpp): no network, no innerHTML with
// data, no eval; colours keep WCAG AA contrast (4.5:1) for text on white and on the #f6f8fa
// panels; the print stylesheet drops the controls and the dark backgrounds.
#include "reports/html_assets.hpp"

namespace hb {

const std::string_view k_html_css = R"css(
:root{--fg:#1f2328;--muted:#57606a;--line:#d0d7de;--panel:#f6f8fa;--focus:#0550ae;
--pass:#1a7f37;--fail:#b42318;--error:#6e40c9;--waived:#0a6b7d;--informational:#0550ae;
--notchecked:#57606a;--notapplicable:#57606a;
--critical:#82071e;--high:#b42318;--medium:#9a4a00;--low:#7d5e00;--info:#57606a}
*{box-sizing:border-box}
html{color-scheme:light}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;
color:var(--fg);background:#fff}
code,.mono,.rid,.ev,.obj-id{font-family:ui-monospace,"DejaVu Sans Mono","Liberation Mono",Menlo,monospace;font-size:13px}
a{color:#0550ae}
.wrap{max-width:1200px;margin:0 auto;padding:0 20px}
.skip{position:absolute;left:-9999px}
.skip:focus{left:12px;top:12px;background:#fff;padding:6px 10px;z-index:2}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
header.top{border-bottom:1px solid var(--line);background:var(--panel);padding:18px 0 12px}
h1{font-size:22px;margin:0 0 10px}
h1 .host{font-family:ui-monospace,"DejaVu Sans Mono",monospace;overflow-wrap:anywhere}
h2{font-size:18px;margin:22px 0 10px}
dl.facts{display:grid;grid-template-columns:repeat(auto-fill,minmax(260px,1fr));gap:4px 24px;margin:0}
dl.facts div{display:flex;gap:8px;min-width:0}
dl.facts dt{color:var(--muted);flex:none;min-width:7.5em}
dl.facts dd{margin:0;overflow-wrap:anywhere;min-width:0}
.cards{display:flex;flex-wrap:wrap;gap:16px}
.card{border:1px solid var(--line);border-radius:8px;padding:12px 16px;background:#fff;min-width:240px}
.card h3{font-size:14px;margin:0 0 8px;color:var(--muted);font-weight:600}
.card svg{display:block}
.card svg text{font:13px system-ui,sans-serif;fill:var(--fg)}
.card svg text.big{font-size:24px;font-weight:700}
.card svg text.small{font-size:12px;fill:var(--muted)}
.card p{margin:6px 0 0;color:var(--muted);font-size:13px;max-width:30em}
.filters{display:flex;flex-wrap:wrap;gap:12px 24px;align-items:flex-end;border:1px solid var(--line);
border-radius:8px;padding:10px 14px;background:var(--panel)}
.filters fieldset{border:0;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:4px 12px}
.filters legend{font-weight:600;font-size:13px;padding:0;margin-bottom:4px}
.filters label{display:inline-flex;align-items:center;gap:4px;white-space:nowrap}
.filters .search{display:flex;flex-direction:column;gap:4px;font-weight:600;font-size:13px;flex:1 1 240px}
.filters input[type=search]{font:inherit;font-weight:400;padding:6px 8px;border:1px solid #8c959f;border-radius:6px;width:100%}
button{font:inherit;color:var(--fg);background:#fff;border:1px solid #8c959f;border-radius:6px;padding:5px 12px;cursor:pointer}
button:hover{background:var(--panel)}
#shown{color:var(--muted);margin:10px 0}
.group{font-size:15px;margin:18px 0 6px;padding-bottom:4px;border-bottom:2px solid var(--line)}
.group .n{color:var(--muted);font-weight:400}
details.rule{border:1px solid var(--line);border-radius:6px;margin:4px 0;background:#fff}
details.rule.st-fail{border-left:4px solid var(--fail)}
details.rule.st-error{border-left:4px solid var(--error)}
details.rule>summary{display:grid;grid-template-columns:1.2em 6.6em 5.6em minmax(0,1fr) auto;gap:8px;
align-items:baseline;padding:7px 10px;cursor:pointer;list-style:none}
details.rule>summary::-webkit-details-marker{display:none}
details.rule>summary::before{content:"\25B8";color:var(--muted)}
details.rule[open]>summary::before{content:"\25BE"}
details.rule>summary:hover{background:var(--panel)}
.rid{overflow-wrap:anywhere}
.rtitle{display:block;overflow-wrap:anywhere}
.rmeta{color:var(--muted);font-size:13px;text-align:right;white-space:nowrap}
.badge{display:inline-block;min-width:6em;text-align:center;font-size:12px;font-weight:700;letter-spacing:.02em;
text-transform:uppercase;color:#fff;border-radius:4px;padding:1px 6px;border:1px solid transparent}
.sev{font-size:13px;font-weight:600}
.b-pass{background:var(--pass)}.b-fail{background:var(--fail)}.b-error{background:var(--error)}
.b-waived{background:var(--waived)}.b-informational{background:var(--informational)}
.b-notchecked{background:var(--notchecked)}.b-notapplicable{background:var(--notapplicable)}
.s-critical{color:var(--critical)}.s-high{color:var(--high)}.s-medium{color:var(--medium)}
.s-low{color:var(--low)}.s-info{color:var(--info)}
.body{padding:4px 14px 12px 40px;border-top:1px solid var(--line)}
.body h4{font-size:13px;margin:12px 0 4px;color:var(--muted);text-transform:uppercase;letter-spacing:.03em}
.body p,.body .text{margin:0;white-space:pre-wrap;overflow-wrap:anywhere}
ul.ev{margin:0;padding-left:18px}
.ev{white-space:pre-wrap;overflow-wrap:anywhere}
table.objs{border-collapse:collapse;width:100%}
table.objs th,table.objs td{text-align:left;vertical-align:top;border-bottom:1px solid var(--line);padding:4px 8px}
table.objs th{font-size:13px;color:var(--muted)}
table.objs td:first-child{width:7.5em}
.obj-id{overflow-wrap:anywhere}
dl.refs{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:0}
dl.refs dt{color:var(--muted)}dl.refs dd{margin:0;overflow-wrap:anywhere}
.more{margin:8px 0}
.note{color:var(--muted)}
footer{color:var(--muted);font-size:13px;border-top:1px solid var(--line);margin-top:30px;padding:12px 0 30px}
@media (max-width:700px){details.rule>summary{grid-template-columns:1.2em 6.6em 1fr}
.rtext{grid-column:2/-1}.rmeta{grid-column:2/-1;text-align:left}}
@media print{
body{font-size:11pt;background:#fff}
.filters,.more,.skip,noscript{display:none!important}
header.top{background:#fff}
.card,details.rule{break-inside:avoid;page-break-inside:avoid}
.group{break-after:avoid;page-break-after:avoid}
details.rule>summary::before,details.rule[open]>summary::before{content:none}
details.rule>summary{grid-template-columns:0 6.6em 5.6em minmax(0,1fr) auto}
.badge{background:#fff!important;border-color:currentColor}
.b-pass{color:var(--pass)}.b-fail{color:var(--fail)}.b-error{color:var(--error)}
.b-waived{color:var(--waived)}.b-informational{color:var(--informational)}
.b-notchecked,.b-notapplicable{color:var(--muted)}
a{color:var(--fg)}
}
)css";

const std::string_view k_html_drift_css = R"css(
section.drift{margin-top:8px}
.drift-base{margin:0 0 8px}
ul.drift-warnings{margin:0 0 10px;padding:8px 14px 8px 30px;border:1px solid var(--medium);border-radius:6px;background:#fff8c5}
ul.drift-counts{display:flex;flex-wrap:wrap;gap:8px;list-style:none;margin:0 0 10px;padding:0}
ul.drift-counts li{border:1px solid var(--line);border-radius:6px;padding:4px 10px;background:var(--panel)}
ul.drift-counts .n{font-weight:700}
ul.drift-counts .dc-newly_failing{border-color:var(--fail);color:var(--fail)}
ul.drift-counts .dc-fixed{border-color:var(--pass);color:var(--pass)}
section.drift h3{font-size:15px;margin:16px 0 6px}
section.drift h3 .n,details.drift-still h3 .n{color:var(--muted);font-weight:400}
table.drift-rules{border-collapse:collapse;width:100%;margin-bottom:6px;table-layout:fixed}
table.drift-rules th:nth-child(2){width:6.5em}
table.drift-rules th:nth-child(3),table.drift-rules th:nth-child(4){width:7.5em}
table.drift-rules th,table.drift-rules td{text-align:left;vertical-align:top;border-bottom:1px solid var(--line);padding:5px 8px}
table.drift-rules th{font-size:13px;color:var(--muted)}
table.drift-rules th:first-child{width:32%}
table.drift-rules td{overflow-wrap:anywhere}
table.drift-rules .rid{display:block}
table.drift-rules .badge{min-width:5em}
table.drift-rules .sev{white-space:nowrap}
.drift .dh{margin:0 0 2px;font-size:13px;font-weight:600;color:var(--muted)}
ul.drift-objs,ul.drift-ev{margin:0 0 6px;padding-left:18px}
ul.drift-ev{list-style:none;padding-left:0}
.drift .sign{font-weight:700;display:inline-block;width:1em}
.ev-del{color:var(--muted)}
details.drift-still>summary{cursor:pointer}
details.drift-still>summary h3{display:inline}
@media (max-width:700px){table.drift-rules{table-layout:auto}table.drift-rules th:first-child{width:auto}}
@media print{details.drift-still>summary h3{display:block}}
)css";

const std::string_view k_html_js = R"js(
(function () {
  'use strict';
  var STATUS_ORDER = ['fail', 'error', 'waived', 'informational', 'pass', 'notchecked', 'notapplicable'];
  var SEV_ORDER = ['critical', 'high', 'medium', 'low', 'info'];
  var PAGE = 200, OBJ_PAGE = 200;
  var stRank = new Map(STATUS_ORDER.map(function (s, i) { return [s, i]; }));
  var svRank = new Map(SEV_ORDER.map(function (s, i) { return [s, i]; }));

  var doc = JSON.parse(document.getElementById('data').textContent);
  var results = Array.isArray(doc.results) ? doc.results : [];
  var N = results.length;

  function str(v) { return typeof v === 'string' ? v : (v === undefined || v === null ? '' : String(v)); }
  function arr(v) { return Array.isArray(v) ? v : []; }
  // Host text may hold control or bidi-override characters: show them, never let them act.
  var CTRL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
  function vis(v) {
    return str(v).replace(CTRL, function (c) {
      var h = c.charCodeAt(0).toString(16);
      return c.charCodeAt(0) < 0x100 ? '\\x' + (h.length < 2 ? '0' + h : h) : '<U+' + h.toUpperCase() + '>';
    });
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = vis(text);
    return e;
  }

  // The index: one entry per rule, computed once; filters read it, never the DOM.
  var st = new Array(N), sv = new Array(N), sec = new Array(N), hay = null;
  var secRank = new Map();
  for (var i = 0; i < N; i++) {
    var r = results[i];
    st[i] = stRank.has(r.status) ? r.status : 'error';
    sv[i] = svRank.has(r.severity) ? r.severity : 'info';
    var tags = arr(r.tags);
    sec[i] = tags.length ? str(tags[0]) : 'untagged';
    if (!secRank.has(sec[i])) secRank.set(sec[i], secRank.size);
  }
  // Failures first, by severity (critical first); then the rest by section, worst status first.
  var order = [];
  for (i = 0; i < N; i++) order.push(i);
  order.sort(function (a, b) {
    var fa = st[a] === 'fail' ? 0 : 1, fb = st[b] === 'fail' ? 0 : 1;
    if (fa !== fb) return fa - fb;
    if (fa === 0) return (svRank.get(sv[a]) - svRank.get(sv[b])) || (a - b);
    return (secRank.get(sec[a]) - secRank.get(sec[b])) ||
           (stRank.get(st[a]) - stRank.get(st[b])) || (svRank.get(sv[a]) - svRank.get(sv[b])) || (a - b);
  });
  function groupOf(i) { return st[i] === 'fail' ? 'fail\u0000' + sv[i] : 'sec\u0000' + sec[i]; }
  function groupTitle(i) {
    if (st[i] === 'fail') return sv[i].charAt(0).toUpperCase() + sv[i].slice(1) + ' failures';
    return sec[i];
  }
  function buildHay() {
    hay = new Array(N);
    for (var k = 0; k < N; k++) {
      var r = results[k], parts = [str(r.id), str(r.title)];
      arr(r.evidence).forEach(function (e) { parts.push(str(e)); });
      arr(r.objects).forEach(function (o) { if (o) parts.push(str(o.id)); });
      hay[k] = parts.join('\n').toLowerCase();
    }
  }

  var list = document.getElementById('list');
  var shown = document.getElementById('shown');
  var search = document.getElementById('q');
  var boxes = Array.prototype.slice.call(document.querySelectorAll('.filters input[type=checkbox]'));
  var filtered = [], rendered = 0, lastGroup = null, moreBtn = null;

  function state() {
    var s = { st: new Set(), sv: new Set(), q: search.value.trim().toLowerCase() };
    boxes.forEach(function (b) { if (b.checked) s[b.name].add(b.value); });
    return s;
  }
  function apply() {
    var s = state();
    if (s.q && !hay) buildHay();
    filtered = order.filter(function (k) {
      return s.st.has(st[k]) && s.sv.has(sv[k]) && (!s.q || hay[k].indexOf(s.q) >= 0);
    });
    var counts = new Map();
    filtered.forEach(function (k) { var g = groupOf(k); counts.set(g, (counts.get(g) || 0) + 1); });
    list.replaceChildren();
    rendered = 0; lastGroup = null; moreBtn = null;
    renderMore(PAGE, counts);
    shown.textContent = filtered.length + ' of ' + N + ' rules match';
    shown.dataset.matched = String(filtered.length);
  }
  var groupCounts = new Map();
  function renderMore(n, counts) {
    if (counts) groupCounts = counts;
    if (moreBtn) { moreBtn.remove(); moreBtn = null; }
    var frag = document.createDocumentFragment();
    var end = Math.min(filtered.length, rendered + n);
    for (; rendered < end; rendered++) {
      var k = filtered[rendered], g = groupOf(k);
      if (g !== lastGroup) {
        var h = el('h3', 'group', groupTitle(k));
        h.appendChild(el('span', 'n', ' \u00b7 ' + (groupCounts.get(g) || 0)));
        frag.appendChild(h);
        lastGroup = g;
      }
      frag.appendChild(row(k));
    }
    if (rendered < filtered.length) {
      var left = filtered.length - rendered;
      moreBtn = el('div', 'more');
      var b1 = el('button', '', 'Show ' + Math.min(PAGE, left) + ' more');
      b1.type = 'button';
      b1.addEventListener('click', function () { renderMore(PAGE); });
      var b2 = el('button', '', 'Show all ' + left + ' remaining');
      b2.type = 'button';
      b2.addEventListener('click', function () { renderMore(filtered.length); });
      moreBtn.append(b1, ' ', b2);
      frag.appendChild(moreBtn);
    }
    list.appendChild(frag);
  }

  function countObjects(objs) {
    var c = new Map();
    objs.forEach(function (o) { var s = o && str(o.status); c.set(s, (c.get(s) || 0) + 1); });
    return c;
  }
  function row(k) {
    var r = results[k];
    var d = el('details', 'rule st-' + st[k]);
    d.dataset.i = String(k);
    d.dataset.status = st[k];
    d.dataset.severity = sv[k];
    var s = el('summary');
    s.appendChild(el('span', 'badge b-' + st[k], st[k] === 'notapplicable' ? 'n/a' : st[k]));
    s.appendChild(el('span', 'sev s-' + sv[k], sv[k]));
    var t = el('span', 'rtext');
    t.appendChild(el('span', 'rid', r.id));
    t.appendChild(el('span', 'rtitle', r.title));
    s.appendChild(t);
    var objs = arr(r.objects), meta = sec[k];
    if (objs.length) {
      var bad = objs.filter(function (o) { return o && (o.status === 'fail' || o.status === 'error'); }).length;
      meta += ' \u00b7 ' + (bad ? bad + '/' : '') + objs.length + (objs.length === 1 ? ' object' : ' objects') + (bad ? ' failing' : '');
    }
    s.appendChild(el('span', 'rmeta', meta));
    d.appendChild(s);
    return d;
  }

  function refLink(scheme, id) {
    var s = scheme.toLowerCase();
    if (s === 'cve' && /^CVE-\d{4}-\d{4,}$/i.test(id)) return 'https://www.cve.org/CVERecord?id=' + id.toUpperCase();
    if (s === 'cwe' && /^(CWE-)?\d{1,6}$/i.test(id)) return 'https://cwe.mitre.org/data/definitions/' + id.replace(/^CWE-/i, '') + '.html';
    if (s === 'url' && /^https:\/\/[^\s"<>\\]+$/.test(id)) return id;
    return null;
  }
  function textBlock(body, title, text) {
    if (!str(text)) return;
    body.appendChild(el('h4', '', title));
    body.appendChild(el('p', '', text));
  }
  function evidenceList(ev) {
    var ul = el('ul', 'ev');
    ev.forEach(function (e) { ul.appendChild(el('li', 'ev', e)); });
    return ul;
  }
  function objectRows(tbody, objs, from, n) {
    var end = Math.min(objs.length, from + n);
    for (var j = from; j < end; j++) {
      var o = objs[j] || {}, os = stRank.has(o.status) ? o.status : 'error';
      var tr = el('tr');
      var td = el('td');
      td.appendChild(el('span', 'badge b-' + os, os === 'notapplicable' ? 'n/a' : os));
      tr.appendChild(td);
      tr.appendChild(el('td', 'obj-id', o.id));
      tr.appendChild(el('td', 'ev', arr(o.evidence).map(str).join('\n')));
      tbody.appendChild(tr);
    }
    return end;
  }
  function buildBody(d) {
    var k = +d.dataset.i, r = results[k];
    var body = el('div', 'body');
    textBlock(body, 'Description', r.description);
    var ev = arr(r.evidence);
    if (ev.length) { body.appendChild(el('h4', '', 'Evidence')); body.appendChild(evidenceList(ev)); }
    var objs = arr(r.objects);
    if (objs.length) {
      var c = countObjects(objs), parts = [];
      STATUS_ORDER.forEach(function (s) { if (c.get(s)) parts.push(c.get(s) + ' ' + s); });
      body.appendChild(el('h4', '', 'Objects (' + objs.length + ': ' + parts.join(', ') + ')'));
      // Failing objects first; the rest in the order the probe reported them.
      var sorted = objs.map(function (o, j) { return j; }).sort(function (a, b) {
        var ra = stRank.has(objs[a] && objs[a].status) ? stRank.get(objs[a].status) : 1;
        var rb = stRank.has(objs[b] && objs[b].status) ? stRank.get(objs[b].status) : 1;
        return (ra - rb) || (a - b);
      }).map(function (j) { return objs[j]; });
      var table = el('table', 'objs'), thead = el('thead'), hr = el('tr');
      ['Status', 'Object', 'Evidence'].forEach(function (h) { hr.appendChild(el('th', '', h)); });
      thead.appendChild(hr);
      var tbody = el('tbody');
      table.append(thead, tbody);
      body.appendChild(table);
      var done = objectRows(tbody, sorted, 0, OBJ_PAGE);
      if (done < sorted.length) {
        var more = el('button', 'more', '');
        more.type = 'button';
        var label = function () {
          var left = sorted.length - done;
          more.textContent = 'Show ' + Math.min(OBJ_PAGE, left) + ' more objects (' + left + ' not shown)';
        };
        label();
        more.addEventListener('click', function () {
          done = objectRows(tbody, sorted, done, OBJ_PAGE);
          if (done >= sorted.length) more.remove(); else label();
        });
        body.appendChild(more);
      }
    }
    textBlock(body, 'Rationale', r.rationale);
    textBlock(body, 'Remediation', r.remediation);
    var refs = r.references && typeof r.references === 'object' ? Object.keys(r.references) : [];
    if (refs.length) {
      body.appendChild(el('h4', '', 'References'));
      var dl = el('dl', 'refs');
      refs.forEach(function (key) {
        var v = str(r.references[key]);
        dl.appendChild(el('dt', '', key));
        var dd = el('dd'), href = refLink(key, v);
        if (href) {
          var a = el('a', '', v);
          a.href = href;
          a.rel = 'noopener noreferrer';
          a.target = '_blank';
          dd.appendChild(a);
        } else {
          dd.textContent = vis(v);
        }
        dl.appendChild(dd);
      });
      body.appendChild(dl);
    }
    body.appendChild(el('h4', '', 'Rule'));
    var facts = el('dl', 'refs');
    [['profile', r.profile], ['tags', arr(r.tags).map(str).join(', ')], ['defined at', r.source],
     ['duration', typeof r.duration_ms === 'number' ? r.duration_ms + ' ms' : '']].forEach(function (p) {
      if (!str(p[1])) return;
      facts.appendChild(el('dt', '', p[0]));
      facts.appendChild(el('dd', 'mono', p[1]));
    });
    body.appendChild(facts);
    d.appendChild(body);
  }
  // 'toggle' does not bubble, but it can be caught on the way down: one listener for every row.
  list.addEventListener('toggle', function (e) {
    var d = e.target;
    if (d.matches && d.matches('details.rule') && d.open && !d.querySelector('.body')) buildBody(d);
  }, true);

  var timer = 0;
  search.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(apply, 120);
  });
  search.addEventListener('keydown', function (e) {
    if (e.key === 'Enter') { clearTimeout(timer); apply(); }
  });
  boxes.forEach(function (b) { b.addEventListener('change', apply); });
  document.getElementById('reset').addEventListener('click', function () {
    boxes.forEach(function (b) { b.checked = true; });
    search.value = '';
    apply();
  });
  // Printing: every matching row on paper, failures and errors expanded.
  var openedForPrint = [];
  window.addEventListener('beforeprint', function () {
    if (rendered < filtered.length) renderMore(filtered.length);
    Array.prototype.forEach.call(list.querySelectorAll('details.rule.st-fail:not([open]),details.rule.st-error:not([open])'),
      function (d) {
        if (!d.querySelector('.body')) buildBody(d);
        d.open = true;
        openedForPrint.push(d);
      });
  });
  window.addEventListener('afterprint', function () {
    openedForPrint.forEach(function (d) { d.open = false; });
    openedForPrint = [];
  });

  apply();
  document.documentElement.dataset.ready = '1';
  if (window.performance && performance.mark) performance.mark('hostbench-ready');
})();
)js";

}  // namespace hb
