// My day (and the calendar's user select): the completion dialog opens in a Bootstrap modal when htmx has
// loaded the form into it; the "whose day" select shows the chosen person's day at once. The sections
// reload by themselves on "tasks-changed" (hx-trigger in the page). No inline script: CSP.
(function () {
    'use strict';

    // Choosing another person in a "whose day" select goes there without pressing "Show".
    document.querySelectorAll('form[data-autosubmit] select').forEach(function (select) {
        select.addEventListener('change', function () {
            select.form.requestSubmit();
        });
    });

    var modalElement = document.querySelector('[data-task-modal]');
    if (!modalElement || !window.bootstrap) {
        return;
    }

    var modal = window.bootstrap.Modal.getOrCreateInstance(modalElement);
    var content = modalElement.querySelector('.modal-content');

    document.body.addEventListener('htmx:afterSwap', function (event) {
        if (event.detail.target !== content) {
            return;
        }
        modal.show();
    });

    // The field that wants the cursor (the result; after completing, the close button).
    modalElement.addEventListener('shown.bs.modal', focusFirst);
    content.addEventListener('htmx:afterSettle', focusFirst);

    function focusFirst() {
        var field = content.querySelector('[autofocus], .is-invalid');
        if (field) {
            field.focus();
        }
    }

    // A closed dialog is emptied, so the next one never shows a stale form for a moment.
    modalElement.addEventListener('hidden.bs.modal', function () {
        content.innerHTML = '';
    });
})();
