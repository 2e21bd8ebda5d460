// The fleet page's CSS and JS, and the hashes its CSP allows them by. Constraints
// (fleet_html.hpp): no network, no innerHTML, no eval, no inline style attributes (the CSP
// allows the stylesheet by hash only); the DOM holds the visible pages only; colours as in the
// host report (WCAG AA on white).
#include "reports/fleet_html_assets.hpp"

#include <array>
#include <cstdint>

namespace hb {

const std::string_view k_fleet_css = R"css(
nav.toc{display:flex;flex-wrap:wrap;gap:4px 16px;margin:14px 0 0}
.stats{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:10px}
.stat{border:1px solid var(--line);border-radius:8px;padding:8px 12px;display:flex;flex-direction:column;background:#fff}
.stat .v{font-size:22px;font-weight:700;font-variant-numeric:tabular-nums}
.stat .k{font-weight:600}
.stat .note{font-size:12px}
.tops{display:flex;flex-wrap:wrap;gap:16px;margin-top:12px}
.tops .top{flex:1 1 340px;border:1px solid var(--line);border-radius:8px;padding:8px 14px;min-width:0}
.tops h3{font-size:14px;margin:0 0 6px;color:var(--muted)}
.tops ol{margin:0;padding-left:24px}
.tops li{overflow-wrap:anywhere}
table.grid{border-collapse:collapse;width:100%}
table.grid th,table.grid td{text-align:left;vertical-align:top;border-bottom:1px solid var(--line);padding:4px 8px}
table.grid th{font-size:13px;color:var(--muted);white-space:nowrap}
table.grid td{overflow-wrap:anywhere}
table.grid .num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
table.grid td.bad{color:var(--fail);font-weight:700}
table.grid td.nowrap,dl.facts time{white-space:nowrap}
table.grid td.hostcell{min-width:15em}
table.grid td.num .sub{white-space:normal;min-width:9em}
table.grid tr.hl{background:#fff8c5}
table.problems td:first-child{width:40%}
.scroll{overflow-x:auto}
.shown{color:var(--muted);margin:8px 0}
.filters .note{font-size:13px}
.pager{display:flex;flex-wrap:wrap;gap:6px;align-items:center;margin:8px 0}
.pager .pos{color:var(--muted);padding:0 6px}
.pager button:disabled{opacity:.45;cursor:default}
button.link{border:0;background:none;padding:0;color:#0550ae;text-decoration:underline;text-align:left;
overflow-wrap:anywhere;border-radius:2px}
button.link:hover{background:none;color:#033d8b}
.sub{display:block;color:var(--muted);font-size:12px;overflow-wrap:anywhere;font-weight:400}
.flag{display:inline-block;font-size:11px;font-weight:700;text-transform:uppercase;letter-spacing:.03em;
border-radius:4px;padding:0 5px;color:#fff;background:var(--medium)}
ul.legend{display:flex;flex-wrap:wrap;gap:4px 14px;list-style:none;padding:0;margin:6px 0;font-size:13px}
ul.legend li{display:flex;align-items:center;gap:4px}
.cell{display:inline-block;width:22px;height:20px;line-height:20px;text-align:center;border-radius:3px}
table.mx{border-collapse:separate;border-spacing:2px}
table.mx th{font-weight:400}
table.mx th.corner{vertical-align:bottom;text-align:left;color:var(--muted);font-size:13px}
table.mx th.col{vertical-align:bottom;padding:0;height:11em}
table.mx th.col button{writing-mode:vertical-rl;transform:rotate(180deg);max-height:11em;overflow:hidden;
text-overflow:ellipsis;white-space:nowrap;font:12px ui-monospace,"DejaVu Sans Mono",monospace;
border:0;background:none;color:#0550ae;padding:2px 0;text-decoration:underline}
table.mx th.row{text-align:left;max-width:18em;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;
position:sticky;left:0;background:#fff;padding-right:6px}
table.mx th.row button{white-space:nowrap;font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:13px}
table.mx td{width:22px;min-width:22px;height:22px;text-align:center;font-size:13px;border-radius:3px;cursor:pointer;padding:0}
.c-f{background:#ffd7d5;color:#9a1a10;font-weight:700}
.c-e{background:#eddffc;color:#5a32a3;font-weight:700}
.c-w{background:#d2eef3;color:#075563}
.c-p{background:#dafbe1;color:#116329}
.c-n,.c-c,.c-i{background:var(--panel);color:var(--muted)}
.c-x{background:repeating-linear-gradient(45deg,#fff 0 3px,#e6eaef 3px 6px)}
#panel{position:fixed;top:0;right:0;bottom:0;width:min(620px,100%);overflow:auto;background:#fff;
border-left:1px solid var(--line);box-shadow:-6px 0 18px rgba(31,35,40,.15);padding:12px 18px 24px;z-index:3}
#panel .bar{display:flex;gap:8px;justify-content:flex-end}
#panel h2{margin:8px 0 4px;overflow-wrap:anywhere}
#panel h3{font-size:15px;margin:16px 0 4px}
#panel .ptitle{margin:0 0 8px;overflow-wrap:anywhere}
#panel dl.refs{margin:6px 0}
.noscript{border:1px solid var(--medium);border-radius:6px;padding:8px 12px;background:#fff8c5}
@media print{
nav.toc,.filters,.pager,#panel .bar{display:none!important}
#panel{position:static;box-shadow:none;border:0;width:auto;padding:0}
.stat,.tops .top{break-inside:avoid;page-break-inside:avoid}
.c-f,.c-e,.c-w,.c-p{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
)css";

const std::string_view k_fleet_js = R"js(
(function () {
  'use strict';
  var HOST_PAGE = 50, RULE_PAGE = 50, MX_ROWS = 50, MX_COLS = 40, PANEL_PAGE = 50, PROBLEM_PAGE = 50;
  var NAMES = ['pass', 'fail', 'error', 'notapplicable', 'notchecked', 'informational', 'waived', 'notscanned'];
  var LABEL = { pass: 'pass', fail: 'fail', error: 'error', notapplicable: 'not applicable',
    notchecked: 'not checked', informational: 'informational', waived: 'waived', notscanned: 'not scanned' };
  var SYMBOL = { pass: '\u2713', fail: '\u2717', error: '!', notapplicable: '\u2013', notchecked: '?',
    informational: 'i', waived: 'w', notscanned: '' };
  var CELL = { pass: 'c-p', fail: 'c-f', error: 'c-e', notapplicable: 'c-n', notchecked: 'c-c',
    informational: 'c-i', waived: 'c-w', notscanned: 'c-x' };
  var SEV_ORDER = ['critical', 'high', 'medium', 'low', 'info'];
  var SEV_INDEX = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };  // failed_by_severity
  var FAIL = 1, ERROR = 2, WAIVED = 6, PASS = 0, NA = 3;                // counts, by Status

  function $(id) { return document.getElementById(id); }
  function str(v) { return typeof v === 'string' ? v : (v === undefined || v === null ? '' : String(v)); }
  function arr(v) { return Array.isArray(v) ? v : []; }
  function num(v) { return typeof v === 'number' && isFinite(v) ? v : null; }
  function cnt(a, i) { var v = arr(a)[i]; return typeof v === 'number' && isFinite(v) ? v : 0; }
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
  function button(text, cls) {
    var b = el('button', cls, text);
    b.type = 'button';
    return b;
  }

  var D = JSON.parse($('data').textContent);
  var H = D.hosts || {}, R = D.rules || {};
  var hName = arr(H.hostname), hFile = arr(H.file), hStarted = arr(H.started), hAge = arr(H.age_hours),
    hStale = arr(H.stale), hTool = arr(H.tool_version), hProf = arr(H.profiles), hScore = arr(H.score),
    hCounts = arr(H.counts), hSev = arr(H.failed_by_severity), hReport = arr(H.report),
    hHref = arr(H.report_href), hRow = arr(H.status);
  var rId = arr(R.id), rTitle = arr(R.title), rProf = arr(R.profile), rSev = arr(R.severity),
    rDiff = arr(R.severity_differs), rHosts = arr(R.hosts);
  var NH = hName.length, NR = rId.length;
  var CODES = str(D.status_codes);
  var codeName = {};
  for (var i = 0; i < CODES.length && i < NAMES.length; i++) codeName[CODES.charAt(i)] = NAMES[i];

  function statusAt(h, r) {
    var row = str(hRow[h]);
    return r < row.length ? (codeName[row.charAt(r)] || 'error') : 'notscanned';
  }
  function hostLabel(h) { return str(hName[h]) || '(no hostname)'; }
  function sevOf(r) { var s = str(rSev[r]); return SEV_INDEX.hasOwnProperty(s) ? s : 'info'; }
  function stale(h) { return hStale[h] === true; }
  function fmtHours(a) { return a < 48 ? a.toFixed(1) + ' h' : (a / 24).toFixed(1) + ' d'; }
  function fmtAge(h) {
    var a = num(hAge[h]);
    if (a === null) return 'no scan time';
    return a < 0 ? 'clock ahead ' + fmtHours(-a) : fmtHours(a);
  }
  function sevNote(h) {
    var parts = [];
    SEV_ORDER.forEach(function (s) { var n = cnt(hSev[h], SEV_INDEX[s]); if (n) parts.push(n + ' ' + s); });
    return parts.join(', ');
  }
  function fmtScore(h) { var s = num(hScore[h]); return s === null ? '\u2013' : s.toFixed(1); }
  function range(p, total) {
    return total ? (p.page * p.size + 1) + '\u2013' + Math.min(total, (p.page + 1) * p.size) : '0';
  }

  // A pager over a list: First / Previous / position / Next / Last, in `box`; calls onPage.
  function Pager(box, what, size, onPage) {
    var p = { page: 0, size: size, total: 0 };
    var first = button('\u00ab First'), prev = button('\u2039 Previous'), pos = el('span', 'pos'),
      next = button('Next \u203a'), last = button('Last \u00bb');
    first.dataset.act = 'first'; prev.dataset.act = 'prev'; next.dataset.act = 'next'; last.dataset.act = 'last';
    box.setAttribute('role', 'navigation');
    box.setAttribute('aria-label', what + ', pages');
    box.replaceChildren(first, prev, pos, next, last);
    function pages() { return Math.max(1, Math.ceil(p.total / size)); }
    function go(n) {
      n = Math.max(0, Math.min(pages() - 1, n));
      if (n !== p.page) { p.page = n; onPage(); }
    }
    first.addEventListener('click', function () { go(0); });
    prev.addEventListener('click', function () { go(p.page - 1); });
    next.addEventListener('click', function () { go(p.page + 1); });
    last.addEventListener('click', function () { go(pages() - 1); });
    p.update = function (total) {
      p.total = total;
      if (p.page > pages() - 1) p.page = pages() - 1;
      pos.textContent = 'Page ' + (p.page + 1) + ' of ' + pages() + ' \u00b7 ' + what + ' ' + range(p, total) + ' of ' + total;
      box.dataset.page = String(p.page + 1);
      box.dataset.pages = String(pages());
      box.hidden = pages() < 2;
      first.disabled = prev.disabled = p.page === 0;
      next.disabled = last.disabled = p.page >= pages() - 1;
    };
    p.slice = function (list) { return list.slice(p.page * size, (p.page + 1) * size); };
    p.reset = function () { p.page = 0; };
    return p;
  }

  function headRow(cols) {
    var thead = el('thead'), tr = el('tr');
    cols.forEach(function (c) {
      var th = el('th', c[1] || '', c[0]);
      th.scope = 'col';
      tr.appendChild(th);
    });
    thead.appendChild(tr);
    return thead;
  }
  function td(tr, cls, text) { var e = el('td', cls, text); tr.appendChild(e); return e; }
  function hostButton(h) { var b = button(hostLabel(h), 'link'); b.dataset.host = String(h); return b; }
  function ruleButton(r) { var b = button(rId[r], 'link mono'); b.dataset.rule = String(r); return b; }

  // A report link only for what the writer accepted (a relative path, percent-encoded), checked again.
  var HREF_OK = /^[A-Za-z0-9._~%\/-]+$/;
  function reportLink(parent, h, long) {
    var href = str(hHref[h]), rep = str(hReport[h]);
    if (href && HREF_OK.test(href) && href.charAt(0) !== '/') {
      var a = el('a', 'report', long ? rep : 'report');
      a.href = href;
      a.rel = 'noopener noreferrer';
      parent.appendChild(a);
    } else if (rep) {
      var s = el('span', 'note', long ? rep + ' (not linked: not a relative path)' : 'not linked');
      s.title = vis('Not a relative path, so not linked: ' + rep);
      parent.appendChild(s);
    } else {
      parent.appendChild(el('span', 'note', long ? 'none next to the results file' : '\u2013'));
    }
  }
  function ageCell(tr, h) {
    var c = td(tr, '', fmtAge(h));
    if (stale(h)) { c.appendChild(document.createTextNode(' ')); c.appendChild(el('span', 'flag', 'stale')); }
    return c;
  }

  // Hosts: the filter is shared by the host table and the matrix rows.
  var hq = $('hq'), hFailing = $('h-failing'), hStaleOnly = $('h-stale'), hostHay = null, hosts = [];
  var hostPager = Pager($('hosts-pager'), 'hosts', HOST_PAGE, renderHosts);
  function filterHosts() {
    var q = hq.value.trim().toLowerCase(), onlyF = hFailing.checked, onlyS = hStaleOnly.checked;
    if (q && !hostHay) {
      hostHay = new Array(NH);
      for (var k = 0; k < NH; k++) hostHay[k] = (str(hName[k]) + '\n' + str(hFile[k])).toLowerCase();
    }
    hosts = [];
    for (var h = 0; h < NH; h++) {
      if (onlyF && !(cnt(hCounts[h], FAIL) > 0)) continue;
      if (onlyS && !stale(h)) continue;
      if (q && hostHay[h].indexOf(q) < 0) continue;
      hosts.push(h);
    }
    hostPager.reset();
    mxRowPager.reset();
    renderHosts();
    renderMatrix();
  }
  function renderHosts() {
    hostPager.update(hosts.length);
    var table = el('table', 'grid hosts-t'), tb = el('tbody');
    table.appendChild(headRow([['#', 'num'], ['Host / results file'], ['Score', 'num'], ['Failed', 'num'],
      ['Errors', 'num'], ['Waived', 'num'], ['Passed', 'num'], ['Profiles'], ['Scanned (UTC)'], ['Age'], ['Report']]));
    hostPager.slice(hosts).forEach(function (h) {
      var tr = el('tr');
      tr.dataset.host = String(h);
      td(tr, 'num', String(h + 1));
      td(tr, 'hostcell').append(hostButton(h), el('span', 'sub', hFile[h]));
      td(tr, 'num', fmtScore(h));
      var f = cnt(hCounts[h], FAIL), fc = td(tr, 'num' + (f ? ' bad' : ''), String(f)), sn = sevNote(h);
      if (sn) fc.appendChild(el('span', 'sub', sn));
      td(tr, 'num', String(cnt(hCounts[h], ERROR)));
      td(tr, 'num', String(cnt(hCounts[h], WAIVED)));
      td(tr, 'num', String(cnt(hCounts[h], PASS)));
      td(tr, '', arr(hProf[h]).map(str).join(', '));
      td(tr, 'mono nowrap', str(hStarted[h]) || '\u2013');
      ageCell(tr, h);
      reportLink(td(tr, ''), h, false);
      tb.appendChild(tr);
    });
    table.appendChild(tb);
    $('hosts-table').replaceChildren(hosts.length ? table : el('p', 'note', NH ? 'No host matches the filter.' : 'No hosts were merged.'));
    var s = $('hosts-shown');
    s.textContent = hosts.length + ' of ' + NH + ' hosts match' + (hosts.length ? '; showing ' + range(hostPager, hosts.length) : '');
    s.dataset.matched = String(hosts.length);
  }

  // Rules: the id/title filter is shared by the rule table and the matrix columns.
  var rq = $('rq'), rFailing = $('r-failing'), ruleHay = null, rules = [], mxCols = [], anyFailing = false;
  var rulePager = Pager($('rules-pager'), 'rules', RULE_PAGE, renderRules);
  function filterRules() {
    var q = rq.value.trim().toLowerCase(), onlyF = rFailing.checked;
    if (q && !ruleHay) {
      ruleHay = new Array(NR);
      for (var k = 0; k < NR; k++) ruleHay[k] = (str(rId[k]) + '\n' + str(rTitle[k])).toLowerCase();
    }
    rules = [];
    mxCols = [];
    anyFailing = false;
    for (var r = 0; r < NR; r++) {
      var failing = cnt(rHosts[r], FAIL) > 0;
      anyFailing = anyFailing || failing;
      if (q && ruleHay[r].indexOf(q) < 0) continue;
      if (failing) mxCols.push(r);
      if (!onlyF || failing) rules.push(r);
    }
    rulePager.reset();
    mxColPager.reset();
    renderRules();
    renderMatrix();
  }
  function renderRules() {
    rulePager.update(rules.length);
    var table = el('table', 'grid rules-t'), tb = el('tbody');
    table.appendChild(headRow([['#', 'num'], ['Rule'], ['Severity'], ['Profile'], ['Failing hosts', 'num'],
      ['Errors', 'num'], ['Waived', 'num'], ['Passed', 'num'], ['Not applicable', 'num'], ['Not scanned', 'num']]));
    rulePager.slice(rules).forEach(function (r) {
      var tr = el('tr'), c = rHosts[r], sum = 0;
      tr.dataset.rule = String(r);
      for (var s = 0; s < 7; s++) sum += cnt(c, s);
      td(tr, 'num', String(r + 1));
      td(tr, '').append(ruleButton(r), el('span', 'sub', rTitle[r]));
      var sv = td(tr, 'sev s-' + sevOf(r), sevOf(r));
      if (rDiff[r] === true) { sv.appendChild(el('span', 'sub', 'differs between hosts')); }
      td(tr, 'mono', rProf[r]);
      var f = cnt(c, FAIL);
      td(tr, 'num' + (f ? ' bad' : ''), f + (NH ? ' (' + (100 * f / NH).toFixed(1) + '%)' : ''));
      td(tr, 'num', String(cnt(c, ERROR)));
      td(tr, 'num', String(cnt(c, WAIVED)));
      td(tr, 'num', String(cnt(c, PASS)));
      td(tr, 'num', String(cnt(c, NA)));
      td(tr, 'num', String(Math.max(0, NH - sum)));
      tb.appendChild(tr);
    });
    table.appendChild(tb);
    $('rules-table').replaceChildren(rules.length ? table : el('p', 'note', NR ? 'No rule matches the filter.' : 'No rules: no host was merged.'));
    var s = $('rules-shown');
    s.textContent = rules.length + ' of ' + NR + ' rules match' + (rules.length ? '; showing ' + range(rulePager, rules.length) : '');
    s.dataset.matched = String(rules.length);
  }

  // The matrix: failing rules (columns, paged) against the filtered hosts (rows, paged).
  var mxColPager = Pager($('matrix-cols-pager'), 'rules', MX_COLS, renderMatrix);
  var mxRowPager = Pager($('matrix-rows-pager'), 'hosts', MX_ROWS, renderMatrix);
  var shownCols = [];
  function renderMatrix() {
    mxColPager.update(mxCols.length);
    mxRowPager.update(hosts.length);
    var cols = mxColPager.slice(mxCols), rows = mxRowPager.slice(hosts), box = $('matrix-table');
    shownCols = cols;
    var s = $('matrix-shown');
    s.dataset.rows = String(hosts.length);
    s.dataset.cols = String(mxCols.length);
    if (!cols.length || !rows.length) {
      box.replaceChildren(el('p', 'note', !anyFailing ? 'No rule fails on any host.' : 'No host or failing rule matches the filters.'));
      s.textContent = '';
      return;
    }
    s.textContent = 'Hosts ' + range(mxRowPager, hosts.length) + ' of ' + hosts.length + ' \u00d7 failing rules ' +
      range(mxColPager, mxCols.length) + ' of ' + mxCols.length;
    var table = el('table', 'mx'), thead = el('thead'), hr = el('tr'), corner = el('th', 'corner', 'Host \\ rule');
    corner.scope = 'col';
    hr.appendChild(corner);
    cols.forEach(function (r) {
      var th = el('th', 'col'), b = ruleButton(r), id = str(rId[r]), prefix = str(rProf[r]) + '.';
      th.scope = 'col';
      b.className = 'col-b';
      // The profile's prefix is the same in most columns: drop it, the title keeps the full id.
      if (id.length > prefix.length && id.indexOf(prefix) === 0) b.textContent = vis(id.slice(prefix.length));
      b.title = vis(str(rId[r]) + ': ' + str(rTitle[r]) + ' (' + sevOf(r) + '), fails on ' + cnt(rHosts[r], FAIL) + ' hosts');
      th.appendChild(b);
      hr.appendChild(th);
    });
    thead.appendChild(hr);
    var tb = el('tbody');
    rows.forEach(function (h) {
      var tr = el('tr'), th = el('th', 'row'), label = vis(hostLabel(h));
      tr.dataset.host = String(h);
      th.scope = 'row';
      th.appendChild(hostButton(h));
      tr.appendChild(th);
      cols.forEach(function (r) {
        var st = statusAt(h, r), c = el('td', CELL[st], SYMBOL[st]);
        c.title = label + ' \u2014 ' + vis(rId[r]) + ': ' + LABEL[st];
        c.dataset.st = st;
        tr.appendChild(c);
      });
      tb.appendChild(tr);
    });
    table.append(thead, tb);
    box.replaceChildren(table);
  }

  // The drill-down panel: a host's failed and error rules, a rule's failing and error hosts.
  var panel = $('panel'), stack = [], opener = null;
  function pagedTable(parent, items, what, cols, fill) {
    if (!items.length) return;
    var wrap = el('div'), pb = el('div', 'pager'), tbox = el('div', 'scroll');
    var p = Pager(pb, what, PANEL_PAGE, draw);
    function draw() {
      p.update(items.length);
      var table = el('table', 'grid'), tb = el('tbody');
      table.appendChild(headRow(cols));
      p.slice(items).forEach(function (it) { var tr = el('tr'); fill(tr, it); tb.appendChild(tr); });
      table.appendChild(tb);
      tbox.replaceChildren(table);
    }
    wrap.append(tbox, pb);
    parent.appendChild(wrap);
    draw();
  }
  function facts(parent, pairs) {
    var dl = el('dl', 'refs');
    pairs.forEach(function (p) {
      dl.appendChild(el('dt', '', p[0]));
      var dd = el('dd', p[2] || '');
      if (typeof p[1] === 'function') p[1](dd); else dd.textContent = vis(p[1]);
      dl.appendChild(dd);
    });
    parent.appendChild(dl);
  }
  function showPanel(build) {
    var bar = el('div', 'bar');
    if (stack.length > 1) {
      var back = button('\u2190 Back');
      back.dataset.act = 'back';
      back.addEventListener('click', function () { stack.pop(); render(stack[stack.length - 1]); });
      bar.appendChild(back);
    }
    var close = button('Close');
    close.dataset.act = 'close';
    close.addEventListener('click', closePanel);
    bar.appendChild(close);
    panel.replaceChildren(bar);
    build(panel);
    panel.hidden = false;
    var h = $('panel-h');
    if (h) { h.tabIndex = -1; h.focus(); }
  }
  function closePanel() {
    panel.hidden = true;
    panel.replaceChildren();
    stack = [];
    if (opener && document.contains(opener)) opener.focus();
    opener = null;
  }
  function render(item) { if (item.kind === 'host') buildHost(item.i, item.rule); else buildRule(item.i); }
  function open(kind, i, from, rule) {
    if (panel.hidden) { stack = []; opener = from || null; }
    stack.push({ kind: kind, i: i, rule: rule });
    render(stack[stack.length - 1]);
  }
  function buildHost(h, hlRule) {
    var fails = [], errors = [], counts = {};
    NAMES.forEach(function (n) { counts[n] = 0; });
    for (var r = 0; r < NR; r++) {
      var st = statusAt(h, r);
      counts[st]++;
      if (st === 'fail') fails.push(r); else if (st === 'error') errors.push(r);
    }
    fails.sort(function (a, b) { return (SEV_INDEX[sevOf(b)] - SEV_INDEX[sevOf(a)]) || (a - b); });
    showPanel(function (p) {
      p.dataset.kind = 'host';
      p.dataset.index = String(h);
      var h2 = el('h2', '', 'Host ' + hostLabel(h));
      h2.id = 'panel-h';
      p.appendChild(h2);
      facts(p, [['Results file', hFile[h], 'mono'], ['Own report', function (dd) { reportLink(dd, h, true); }],
        ['Score', fmtScore(h)], ['Scanned (UTC)', str(hStarted[h]) || 'no scan time', 'mono'],
        ['Age', function (dd) { dd.textContent = fmtAge(h); if (stale(h)) { dd.append(' ', el('span', 'flag', 'stale')); } }],
        ['Profiles', arr(hProf[h]).map(str).join(', ') || 'none'], ['hostbench', hTool[h]],
        ['Rules', NAMES.filter(function (n) { return counts[n]; }).map(function (n) { return counts[n] + ' ' + LABEL[n]; }).join(', ') || 'none']]);
      var hf = el('h3', '', 'Failed rules (' + fails.length + ')');
      p.appendChild(hf);
      if (!fails.length) p.appendChild(el('p', 'note', 'None.'));
      var ruleCols = [['Severity'], ['Rule']];
      var fillRule = function (tr, r) {
        tr.dataset.rule = String(r);
        if (r === hlRule) tr.className = 'hl';
        td(tr, 'sev s-' + sevOf(r), sevOf(r));
        td(tr, '').append(ruleButton(r), el('span', 'sub', rTitle[r]));
      };
      var fbox = el('div', 'failed-rules');
      p.appendChild(fbox);
      pagedTable(fbox, fails, 'failed rules', ruleCols, fillRule);
      p.appendChild(el('h3', '', 'Errors (' + errors.length + ')'));
      if (!errors.length) p.appendChild(el('p', 'note', 'None.'));
      var ebox = el('div', 'error-rules');
      p.appendChild(ebox);
      pagedTable(ebox, errors, 'rules in error', ruleCols, fillRule);
      if (hlRule !== undefined && hlRule !== null) {
        p.appendChild(el('p', 'note', 'Opened from the matrix: ' + str(rId[hlRule]) + ' is ' + LABEL[statusAt(h, hlRule)] + ' on this host.'));
      }
    });
  }
  function buildRule(r) {
    var fails = [], errors = [];
    for (var h = 0; h < NH; h++) {
      var st = statusAt(h, r);
      if (st === 'fail') fails.push(h); else if (st === 'error') errors.push(h);
    }
    showPanel(function (p) {
      p.dataset.kind = 'rule';
      p.dataset.index = String(r);
      var h2 = el('h2', '', 'Rule ' + str(rId[r]));
      h2.id = 'panel-h';
      p.appendChild(h2);
      p.appendChild(el('p', 'ptitle', rTitle[r]));
      var c = rHosts[r], parts = [];
      NAMES.slice(0, 7).forEach(function (n, s) { if (cnt(c, s)) parts.push(cnt(c, s) + ' ' + LABEL[n]); });
      facts(p, [['Severity', sevOf(r) + (rDiff[r] === true ? ' (hosts disagree: different profile versions)' : '')],
        ['Profile', rProf[r], 'mono'], ['Hosts', parts.join(', ') || 'none']]);
      var hostCols = [['Host / results file'], ['Score', 'num'], ['Age'], ['Report']];
      var fillHost = function (tr, h) {
        tr.dataset.host = String(h);
        td(tr, 'hostcell').append(hostButton(h), el('span', 'sub', hFile[h]));
        td(tr, 'num', fmtScore(h));
        ageCell(tr, h);
        reportLink(td(tr, ''), h, false);
      };
      p.appendChild(el('h3', '', 'Failing hosts (' + fails.length + ')'));
      if (!fails.length) p.appendChild(el('p', 'note', 'None.'));
      var fbox = el('div', 'failing-hosts');
      p.appendChild(fbox);
      pagedTable(fbox, fails, 'failing hosts', hostCols, fillHost);
      p.appendChild(el('h3', '', 'Hosts in error (' + errors.length + ')'));
      if (!errors.length) p.appendChild(el('p', 'note', 'None.'));
      var ebox = el('div', 'error-hosts');
      p.appendChild(ebox);
      pagedTable(ebox, errors, 'hosts in error', hostCols, fillHost);
    });
  }
  document.addEventListener('click', function (e) {
    var t = e.target;
    if (!t || !t.closest) return;
    var b = t.closest('button[data-host],button[data-rule]');
    if (b) {
      var inPanel = panel.contains(b);
      if (b.dataset.host !== undefined) {
        var h = Number(b.dataset.host);
        if (h >= 0 && h < NH) open('host', h, inPanel ? null : b);
      } else {
        var r = Number(b.dataset.rule);
        if (r >= 0 && r < NR) open('rule', r, inPanel ? null : b);
      }
      return;
    }
    var cell = t.closest('#matrix-table td');
    if (cell && cell.parentNode && cell.parentNode.dataset.host !== undefined) {
      var rule = shownCols[cell.cellIndex - 1], host = Number(cell.parentNode.dataset.host);
      if (rule !== undefined && host >= 0 && host < NH) open('host', host, cell.parentNode.querySelector('button'), rule);
    }
  });
  document.addEventListener('keydown', function (e) { if (e.key === 'Escape' && !panel.hidden) closePanel(); });

  // Problems beyond one page: the server-rendered table becomes a paged one built from the data.
  var problems = arr(D.problems);
  [['skipped', true], ['warnings', false]].forEach(function (k) {
    var table = $(k[0]);
    if (!table) return;
    var list = problems.filter(function (p) { return p && (p.skipped === true) === k[1]; });
    if (list.length <= PROBLEM_PAGE) return;
    var box = el('div', 'problems-paged');
    box.id = k[0] + '-paged';
    table.replaceWith(box);
    var note = document.querySelector('.more-problems[data-kind="' + k[0] + '"]');
    if (note) note.remove();
    pagedTable(box, list, k[0] === 'skipped' ? 'files skipped' : 'warnings', [['File'], [k[1] ? 'Why it was skipped' : 'Warning']],
      function (tr, p) { td(tr, 'mono', p.file); td(tr, '', p.message); });
  });

  var timer = 0;
  function debounce(fn) {
    return function () { clearTimeout(timer); timer = setTimeout(fn, 150); };
  }
  hq.addEventListener('input', debounce(filterHosts));
  hq.addEventListener('keydown', function (e) { if (e.key === 'Enter') { clearTimeout(timer); filterHosts(); } });
  rq.addEventListener('input', debounce(filterRules));
  rq.addEventListener('keydown', function (e) { if (e.key === 'Enter') { clearTimeout(timer); filterRules(); } });
  hFailing.addEventListener('change', filterHosts);
  hStaleOnly.addEventListener('change', filterHosts);
  rFailing.addEventListener('change', filterRules);

  $('app').hidden = false;
  filterRules();
  filterHosts();
  document.documentElement.dataset.ready = '1';
  if (window.performance && performance.mark) performance.mark('hostbench-ready');
})();
)js";

namespace {

constexpr std::array<std::uint32_t, 64> k_sha256_k = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

constexpr std::uint32_t rotr(std::uint32_t x, int n) {
  return (x >> n) | (x << (32 - n));
}

void sha256_block(std::array<std::uint32_t, 8>& h, const unsigned char* p) {
  std::uint32_t w[64];
  for (int i = 0; i < 16; ++i)
    w[i] = std::uint32_t{p[4 * i]} << 24 | std::uint32_t{p[4 * i + 1]} << 16 |
           std::uint32_t{p[4 * i + 2]} << 8 | std::uint32_t{p[4 * i + 3]};
  for (int i = 16; i < 64; ++i) {
    std::uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
    std::uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  std::uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
  for (int i = 0; i < 64; ++i) {
    std::uint32_t t1 =
        hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + k_sha256_k[i] + w[i];
    std::uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
    hh = g;
    g = f;
    f = e;
    e = d + t1;
    d = c;
    c = b;
    b = a;
    a = t1 + t2;
  }
  h[0] += a;
  h[1] += b;
  h[2] += c;
  h[3] += d;
  h[4] += e;
  h[5] += f;
  h[6] += g;
  h[7] += hh;
}

}  // namespace

std::string sha256_base64(std::string_view bytes) {
  std::array<std::uint32_t, 8> h = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                    0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
  std::size_t n = bytes.size(), i = 0;
  for (; i + 64 <= n; i += 64) sha256_block(h, data + i);
  // The tail, the 0x80 byte, zeros and the length in bits (big-endian): one or two blocks.
  unsigned char tail[128] = {};
  std::size_t rest = n - i;
  for (std::size_t j = 0; j < rest; ++j) tail[j] = data[i + j];
  tail[rest] = 0x80;
  std::size_t len = rest + 1 + 8 <= 64 ? 64 : 128;
  std::uint64_t bits = static_cast<std::uint64_t>(n) * 8;
  for (int j = 0; j < 8; ++j) tail[len - 1 - j] = static_cast<unsigned char>(bits >> (8 * j));
  for (std::size_t j = 0; j < len; j += 64) sha256_block(h, tail + j);

  unsigned char digest[32];
  for (int j = 0; j < 8; ++j)
    for (int k = 0; k < 4; ++k)
      digest[4 * j + k] = static_cast<unsigned char>(h[j] >> (24 - 8 * k));
  static constexpr char k_b64[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (int j = 0; j < 32; j += 3) {
    std::uint32_t v = std::uint32_t{digest[j]} << 16;
    if (j + 1 < 32) v |= std::uint32_t{digest[j + 1]} << 8;
    if (j + 2 < 32) v |= digest[j + 2];
    out += k_b64[(v >> 18) & 63];
    out += k_b64[(v >> 12) & 63];
    out += j + 1 < 32 ? k_b64[(v >> 6) & 63] : '=';
    out += j + 2 < 32 ? k_b64[v & 63] : '=';
  }
  return out;
}

std::string csp_hash_source(std::string_view element_text) {
  return "'sha256-" + sha256_base64(element_text) + "'";
}

}  // namespace hb
