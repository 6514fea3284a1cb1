// The calendar's week view: a task dragged to another day or hour (HTML5 drag and drop) posts the new
// local date and time (POST /tasks/{id}/reschedule); the answer is JSON {ok, message, version, time}:
// moved (the item stays, with its new time and version) or refused (it goes back where it was and a
// toast says why). Minutes are kept when moving between hours; the all-day row makes a task all-day.
(function () {
    'use strict';

    var calendar = document.querySelector('[data-calendar]');
    if (!calendar) {
        return;
    }

    var meta = document.querySelector('meta[name="csrf-token"]');
    var token = meta ? meta.getAttribute('content') : '';
    // The item being dragged and where it came from: { item, from, next }.
    var dragging = null;

    calendar.addEventListener('dragstart', function (event) {
        var item = event.target.closest && event.target.closest('[data-task-id][draggable="true"]');
        if (!item) {
            return;
        }
        dragging = { item: item, from: item.parentElement, next: item.nextSibling };
        event.dataTransfer.effectAllowed = 'move';
        event.dataTransfer.setData('text/plain', item.getAttribute('data-task-id'));
        item.classList.add('crm-cal-dragging');
    });

    calendar.addEventListener('dragend', function () {
        if (dragging) {
            dragging.item.classList.remove('crm-cal-dragging');
        }
        clearOver();
    });

    calendar.addEventListener('dragover', function (event) {
        var cell = event.target.closest && event.target.closest('[data-drop]');
        if (!cell || !dragging) {
            return;
        }
        event.preventDefault();
        event.dataTransfer.dropEffect = 'move';
        if (!cell.classList.contains('crm-cal-over')) {
            clearOver();
            cell.classList.add('crm-cal-over');
        }
    });

    calendar.addEventListener('drop', function (event) {
        var cell = event.target.closest && event.target.closest('[data-drop]');
        if (!cell || !dragging) {
            return;
        }
        event.preventDefault();
        clearOver();
        var drop = dragging;
        dragging = null;
        drop.item.classList.remove('crm-cal-dragging');
        if (cell === drop.from) {
            return;
        }
        cell.appendChild(drop.item);
        reschedule(drop, cell);
    });

    function clearOver() {
        calendar.querySelectorAll('.crm-cal-over').forEach(function (cell) { cell.classList.remove('crm-cal-over'); });
    }

    function pad(number) {
        return (number < 10 ? '0' : '') + number;
    }

    function reschedule(drop, cell) {
        var item = drop.item;
        var hour = cell.getAttribute('data-hour');
        var body = new URLSearchParams();
        body.set('date', cell.getAttribute('data-date'));
        body.set('time', hour === '' ? '' : pad(parseInt(hour, 10)) + ':' + pad(parseInt(item.getAttribute('data-minute') || '0', 10)));
        body.set('version', item.getAttribute('data-version'));
        item.classList.add('crm-cal-busy');
        fetch('/tasks/' + item.getAttribute('data-task-id') + '/reschedule', {
            method: 'POST',
            body: body,
            credentials: 'same-origin',
            headers: { 'RequestVerificationToken': token, 'Accept': 'application/json' }
        }).then(function (response) {
            return response.json().then(function (answer) { return answer; }, function () { return { ok: false }; });
        }).then(function (answer) {
            answered(drop, answer);
        }, function () {
            answered(drop, { ok: false });
        });
    }

    function answered(drop, answer) {
        var item = drop.item;
        item.classList.remove('crm-cal-busy');
        if (answer.ok) {
            item.setAttribute('data-version', answer.version);
            var time = item.querySelector('[data-time]');
            if (time) {
                time.textContent = answer.time;
            }
            item.setAttribute('data-moved', '');
            toast(answer.message, false);
            return;
        }
        drop.from.insertBefore(item, drop.next && drop.next.parentNode === drop.from ? drop.next : null);
        toast(answer.message || calendar.getAttribute('data-failed-text'), true);
    }

    function toast(text, failed) {
        window.CrmToast(text, { failed: failed, marker: 'data-calendar-toast', closeText: calendar.getAttribute('data-close-text') });
    }
})();
