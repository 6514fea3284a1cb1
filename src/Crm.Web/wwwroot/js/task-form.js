// The task form: the duration shows for meetings only, "all day" switches the time off, and the linked
// record's picker suggests records of the chosen kind as you type. The server checks everything again.
(function () {
    'use strict';

    var form = document.querySelector('[data-task-form]');
    if (!form) {
        return;
    }

    // Duration: meetings only.
    var duration = form.querySelector('[data-task-duration]');
    function showDuration() {
        var checked = form.querySelector('[data-task-kind]:checked');
        if (duration) {
            duration.hidden = !checked || checked.value !== 'Meeting';
        }
    }
    form.querySelectorAll('[data-task-kind]').forEach(function (radio) {
        radio.addEventListener('change', showDuration);
    });
    showDuration();

    // All day: no time.
    var allDay = form.querySelector('[data-task-allday]');
    var time = form.querySelector('[data-task-time]');
    if (allDay && time) {
        allDay.addEventListener('change', function () {
            time.disabled = allDay.checked;
        });
    }

    // Linked record: kind select + search picker; choosing a suggestion sets the hidden id.
    var kind = form.querySelector('[data-task-link-kind]');
    var input = form.querySelector('[data-task-link-picker]');
    var hidden = form.querySelector('[data-task-link-id]');
    if (!kind || !input || !hidden) {
        return;
    }

    var picker = window.CrmPicker.attach(input, hidden, function (text) {
        return kind.value ? '/tasks/links?kind=' + encodeURIComponent(kind.value) + '&q=' + encodeURIComponent(text) : null;
    });
    kind.addEventListener('change', function () {
        picker.clear();
        input.disabled = !kind.value;
        if (kind.value) {
            input.focus();
        }
    });
})();
