// Behaviour for every page. No inline script anywhere: the content security policy forbids it.
(function () {
    'use strict';

    // htmx requests carry the antiforgery token from the layout's meta tag.
    document.addEventListener('htmx:configRequest', function (event) {
        var meta = document.querySelector('meta[name="csrf-token"]');
        if (meta) {
            event.detail.headers['RequestVerificationToken'] = meta.getAttribute('content');
        }
    });

    var search = document.getElementById('global-search');

    document.addEventListener('keydown', function (event) {
        // "/" focuses the header search from anywhere except while typing in a field.
        var target = event.target;
        var typing = target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement ||
            target instanceof HTMLSelectElement || (target && target.isContentEditable);
        if (event.key === '/' && !typing && search) {
            event.preventDefault();
            search.focus();
            search.select();
        }
        if (event.key === 'Escape' && target === search) {
            document.getElementById('search-suggestions').innerHTML = '';
        }
    });

    if (search) {
        // Enter opens the first suggestion when there is one; otherwise the form goes to the results page.
        search.form.addEventListener('submit', function (event) {
            var first = document.querySelector('#search-suggestions .crm-suggestion');
            if (first) {
                event.preventDefault();
                window.location.href = first.getAttribute('href');
            }
        });
        document.addEventListener('click', function (event) {
            if (!search.form.contains(event.target)) {
                document.getElementById('search-suggestions').innerHTML = '';
            }
        });
    }

    // Buttons with data-confirm ask before their form is sent.
    document.addEventListener('click', function (event) {
        var button = event.target.closest('[data-confirm]');
        if (button && !window.confirm(button.getAttribute('data-confirm'))) {
            event.preventDefault();
        }
    });

    // Copy buttons (the new API token).
    document.addEventListener('click', function (event) {
        var button = event.target.closest('[data-copy]');
        if (button && navigator.clipboard) {
            navigator.clipboard.writeText(document.getElementById(button.getAttribute('data-copy')).textContent.trim());
        }
    });

    // Bulk actions: the bar appears while rows are selected; "select all" ticks the rows shown.
    function updateBulkBar() {
        var bar = document.querySelector('[data-bulk-bar]');
        if (!bar) {
            return;
        }
        var count = document.querySelectorAll('[data-bulk-item]:checked').length;
        bar.classList.toggle('d-none', count === 0);
        var label = bar.querySelector('[data-bulk-count]');
        if (label) {
            label.textContent = (bar.getAttribute('data-selected-text') || '{0}').replace('{0}', count);
        }
    }
    document.addEventListener('change', function (event) {
        if (event.target.matches('[data-bulk-all]')) {
            document.querySelectorAll('[data-bulk-item]').forEach(function (box) { box.checked = event.target.checked; });
        }
        if (event.target.matches('[data-bulk-item], [data-bulk-all]')) {
            updateBulkBar();
        }
    });

    // A toast from a script (the board's and the calendar's answers to a drop): red for a refusal.
    // marker names an attribute set on it (tests find it by that); closeText labels its close button.
    window.CrmToast = function (text, options) {
        var container = document.querySelector('.toast-container');
        if (!container || !text) {
            return;
        }
        options = options || {};
        var box = document.createElement('div');
        box.className = 'toast align-items-center border-0 ' + (options.failed ? 'text-bg-danger' : 'text-bg-dark');
        box.setAttribute('role', options.failed ? 'alert' : 'status');
        box.setAttribute('aria-live', options.failed ? 'assertive' : 'polite');
        box.setAttribute('aria-atomic', 'true');
        if (options.marker) {
            box.setAttribute(options.marker, '');
        }
        var row = document.createElement('div');
        row.className = 'd-flex';
        var message = document.createElement('div');
        message.className = 'toast-body';
        message.textContent = text;
        var close = document.createElement('button');
        close.type = 'button';
        close.className = 'btn-close btn-close-white me-2 m-auto';
        close.setAttribute('data-bs-dismiss', 'toast');
        close.setAttribute('aria-label', options.closeText || 'Close');
        row.appendChild(message);
        row.appendChild(close);
        box.appendChild(row);
        container.appendChild(box);
        if (window.bootstrap) {
            box.addEventListener('hidden.bs.toast', function () { box.remove(); });
            new window.bootstrap.Toast(box, { delay: options.delay || 5000 }).show();
        }
    };

    // Toasts rendered by the server after an action.
    if (window.bootstrap) {
        document.querySelectorAll('[data-crm-toast]').forEach(function (element) {
            new window.bootstrap.Toast(element, { delay: 5000 }).show();
        });
    }
})();
