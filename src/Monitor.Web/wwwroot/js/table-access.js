// What MudBlazor's tables leave out for keyboard and screen-reader users, added to every table on every page:
// - a sort button is named after its column ("Sort by Name", not "Sort") and its header cell says how it is sorted
//   (aria-sort);
// - a table wider than its container can be scrolled from the keyboard (the container takes focus).
// Blazor renders these elements and may re-render them at any time, so a MutationObserver re-applies the attributes.
const sortBy = document.body.dataset.sortByLabel || 'Sort by {0}';
const scrollLabel = document.body.dataset.scrollTableLabel || '{0}';
let scheduled = false;

function apply() {
  scheduled = false;
  for (const button of document.querySelectorAll('th .sort-direction-icon')) {
    const header = button.closest('th');
    const title = header.querySelector('.sortable-column-header')?.textContent.trim();
    if (title) setAttribute(button, 'aria-label', sortBy.replace('{0}', title));
    const sort = button.classList.contains('mud-direction-asc') ? 'ascending'
      : button.classList.contains('mud-direction-desc') ? 'descending' : 'none';
    setAttribute(header, 'aria-sort', sort);
  }
  for (const container of document.querySelectorAll('.mud-table-container')) {
    const scrolls = container.scrollWidth > container.clientWidth || container.scrollHeight > container.clientHeight;
    if (scrolls) {
      setAttribute(container, 'tabindex', '0');
      setAttribute(container, 'role', 'region');
      const caption = container.closest('[data-table-name]')?.dataset.tableName
        ?? document.querySelector('main h1')?.textContent.trim() ?? '';
      setAttribute(container, 'aria-label', scrollLabel.replace('{0}', caption));
    } else if (container.getAttribute('tabindex') === '0') {
      container.removeAttribute('tabindex');
      container.removeAttribute('role');
      container.removeAttribute('aria-label');
    }
  }
}

function setAttribute(element, name, value) {
  if (element.getAttribute(name) !== value) element.setAttribute(name, value);
}

function schedule() {
  if (scheduled) return;
  scheduled = true;
  requestAnimationFrame(apply);
}

new MutationObserver(schedule).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['class'] });
window.addEventListener('resize', schedule);
schedule();
