// Drag and drop ordering on the deals admin pages (pipelines, stages, loss reasons) with SortableJS.
// Each list has data-sortable and data-order-url; after a drop the ids are posted in their new order.
// The up/down buttons next to each item do the same without a mouse.
(function () {
    'use strict';

    if (!window.Sortable) {
        return;
    }

    function post(list) {
        var body = new URLSearchParams();
        list.querySelectorAll(':scope > [data-id]').forEach(function (item) {
            body.append('ids', item.getAttribute('data-id'));
        });
        var meta = document.querySelector('meta[name="csrf-token"]');
        var status = list.parentElement.querySelector('[data-sortable-status]');
        return fetch(list.getAttribute('data-order-url'), {
            method: 'POST',
            credentials: 'same-origin',
            headers: {
                'Accept': 'application/json',
                'Content-Type': 'application/x-www-form-urlencoded',
                'RequestVerificationToken': meta ? meta.getAttribute('content') : ''
            },
            body: body
        }).then(function (response) {
            if (!response.ok) {
                throw new Error(String(response.status));
            }
            // The arrows are per item; the first one has no "up", the last no "down".
            var items = list.querySelectorAll(':scope > [data-id]');
            items.forEach(function (item, index) {
                var buttons = item.querySelectorAll('.crm-move-buttons button');
                if (buttons.length === 2) {
                    buttons[0].disabled = index === 0;
                    buttons[1].disabled = index === items.length - 1;
                }
            });
            if (status) {
                status.textContent = status.getAttribute('data-saved-text');
            }
        }).catch(function () {
            // The server's order is the truth: show it again rather than a list it did not take.
            window.location.reload();
        });
    }

    document.querySelectorAll('[data-sortable]').forEach(function (list) {
        window.Sortable.create(list, {
            handle: '[data-drag-handle]',
            draggable: '[data-id]',
            animation: 150,
            onEnd: function (event) {
                if (event.oldIndex !== event.newIndex) {
                    post(list);
                }
            }
        });
    });
})();
