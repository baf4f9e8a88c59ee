import { createHash } from 'node:crypto'

/**
 * The one script a report may run: it sorts a prediction report's results table when a column
 * header is clicked (again: the other way). Numbers sort as numbers ("1,234" included), text
 * by the reader's locale, and empty cells always last. The report's CSP allows this exact text by
 * its hash and nothing else: no other script, no inline handler (`onclick=` needs
 * 'unsafe-hashes', which the policy does not grant). It reads cell text only and writes nothing
 * but the order of rows and `aria-sort`, so data in the cells stays text. Printing runs no
 * script, so a PDF shows the stored order.
 */
export const SORT_SCRIPT = `(function () {
  'use strict';
  function key(cell, numeric) {
    var text = cell ? cell.textContent.trim() : '';
    if (text === '') return null;
    if (!numeric) return text;
    var n = Number(text.replace(/,/g, ''));
    return isNaN(n) ? null : n;
  }
  var collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
  function sortBy(th) {
    var table = th.closest('table');
    var body = table && table.tBodies[0];
    if (!body) return;
    var column = th.cellIndex;
    var numeric = th.classList.contains('n');
    var ascending = th.getAttribute('aria-sort') !== 'ascending';
    var rows = Array.prototype.slice.call(body.rows).map(function (row, index) {
      return { row: row, index: index, key: key(row.cells[column], numeric) };
    });
    rows.sort(function (a, b) {
      if (a.key === null || b.key === null) {
        if (a.key === b.key) return a.index - b.index;
        return a.key === null ? 1 : -1;
      }
      var d = numeric ? a.key - b.key : collator.compare(a.key, b.key);
      if (d === 0) return a.index - b.index;
      return ascending ? d : -d;
    });
    var fragment = document.createDocumentFragment();
    rows.forEach(function (r) { fragment.appendChild(r.row); });
    body.appendChild(fragment);
    Array.prototype.forEach.call(th.parentNode.cells, function (h) { h.removeAttribute('aria-sort'); });
    th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
  }
  document.addEventListener('click', function (event) {
    var th = event.target && event.target.closest ? event.target.closest('table.rows thead th') : null;
    if (th) sortBy(th);
  });
  document.addEventListener('keydown', function (event) {
    if (event.key !== 'Enter' && event.key !== ' ') return;
    var th = event.target && event.target.closest ? event.target.closest('table.rows thead th') : null;
    if (!th) return;
    event.preventDefault();
    sortBy(th);
  });
})();`

/** The CSP source that allows {@link SORT_SCRIPT} and only it: `'sha256-<base64>'`. */
export const SORT_SCRIPT_SOURCE = `'sha256-${createHash('sha256').update(SORT_SCRIPT, 'utf8').digest('base64')}'`
