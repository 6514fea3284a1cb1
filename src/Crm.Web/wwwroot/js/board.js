// The deals board: dragging a card to another column posts the move (POST /deals/{id}/move) and follows
// the answer: moved (the card's new markup and version, fresh column heads), refused, not found or
// conflict (the card goes back where it was and a toast says why), needs fields (a dialog asks for
// exactly what the stage requires; cancelling puts the card back). No inline script: CSP.
(function () {
    'use strict';

    var board = document.querySelector('[data-board]');
    if (!board || !window.Sortable) {
        return;
    }

    var meta = document.querySelector('meta[name="csrf-token"]');
    var token = meta ? meta.getAttribute('content') : '';
    var dialogElement = document.querySelector('[data-move-dialog]');
    var dialogForm = dialogElement.querySelector('[data-move-form]');
    var dialogFields = dialogElement.querySelector('[data-move-fields]');
    var dialog = window.bootstrap ? window.bootstrap.Modal.getOrCreateInstance(dialogElement) : null;
    // The drop the dialog is asking about: { item, from, oldIndex, to, settled }.
    var asking = null;

    board.querySelectorAll('[data-cards]').forEach(function (list) {
        window.Sortable.create(list, {
            group: 'deals',
            sort: false,
            draggable: '.crm-deal-card',
            // The card's menu button and its menu are for clicks, never the start of a drag.
            filter: '[data-move-menu], .dropdown-menu',
            preventOnFilter: false,
            // Sortable's own pointer handling (not the browser's drag and drop) behaves the same with a
            // mouse, a finger and the browser tests; a few pixels of tolerance keep clicks on the title links.
            forceFallback: true,
            fallbackTolerance: 4,
            delay: 200,
            delayOnTouchOnly: true,
            ghostClass: 'crm-deal-ghost',
            dragClass: 'crm-deal-drag',
            scroll: true,
            bubbleScroll: true,
            onEnd: function (event) {
                if (event.from === event.to) {
                    return;
                }
                move({ item: event.item, from: event.from, oldIndex: event.oldIndex, to: event.to, settled: false }, null);
            }
        });
    });

    function move(drop, fields) {
        var body = fields || new URLSearchParams();
        body.set('stageId', drop.to.getAttribute('data-stage-id'));
        body.set('version', drop.item.getAttribute('data-version'));
        drop.item.classList.add('crm-deal-busy');
        // The board's filters go along, so the column heads come back counted the same way.
        fetch('/deals/' + drop.item.getAttribute('data-deal-id') + '/move' + window.location.search, {
            method: 'POST',
            body: body,
            credentials: 'same-origin',
            headers: { 'RequestVerificationToken': token, 'Accept': 'application/json' }
        }).then(function (response) {
            return response.json().then(function (answer) { return answer; }, function () { return { outcome: 'failed' }; });
        }).then(function (answer) {
            answered(drop, answer);
        }, function () {
            answered(drop, { outcome: 'failed' });
        });
    }

    function answered(drop, answer) {
        drop.item.classList.remove('crm-deal-busy');
        if (answer.outcome === 'moved') {
            drop.settled = true;
            // Now the column's newest arrival: its place is at the top, as a reload would show it.
            var card = element(answer.card);
            drop.item.remove();
            drop.to.insertBefore(card, drop.to.firstElementChild);
            (answer.columns || []).forEach(updateHead);
            if (asking === drop && dialog) {
                dialog.hide();
            }
            if (drop.keyboard) {
                card.querySelector('[data-move-menu]').focus();
            }
            return;
        }
        if (answer.outcome === 'needsFields' && dialog) {
            asking = drop;
            dialogFields.innerHTML = answer.form;
            if (window.htmx) {
                window.htmx.process(dialogFields);
            }
            dialog.show();
            return;
        }
        drop.settled = true;
        rollBack(drop);
        if (asking === drop && dialog) {
            dialog.hide();
        }
        toast(answer.message || board.getAttribute('data-failed-text'));
    }

    // Back to where it was picked up: the column's cards are newest first, so its old place is exact.
    function rollBack(drop) {
        var next = drop.from.children[drop.oldIndex] || null;
        drop.from.insertBefore(drop.item, next);
        if (drop.keyboard) {
            drop.item.querySelector('[data-move-menu]').focus();
        }
    }

    // The card's menu lists the other stages. It is made (in the card's current column) when the button
    // gets focus or the pointer: before the click, which Bootstrap's own handler sees first.
    function prepareMenu(event) {
        var button = event.target.closest && event.target.closest('[data-move-menu]');
        if (!button || !window.bootstrap) {
            return;
        }
        var card = button.closest('.crm-deal-card');
        var menu = button.nextElementSibling;
        var here = card.parentElement.getAttribute('data-stage-id');
        if (menu && menu.getAttribute('data-stage-id') === here) {
            return;
        }
        var existing = window.bootstrap.Dropdown.getInstance(button);
        if (existing) {
            existing.dispose();
        }
        if (menu) {
            menu.remove();
        }
        button.after(stageMenu(here));
        // Fixed, so the columns' scrolling does not clip it.
        window.bootstrap.Dropdown.getOrCreateInstance(button, {
            popperConfig: function (config) { config.strategy = 'fixed'; return config; }
        });
    }
    board.addEventListener('focusin', prepareMenu);
    board.addEventListener('pointerdown', prepareMenu);

    function stageMenu(current) {
        var menu = document.createElement('ul');
        menu.className = 'dropdown-menu dropdown-menu-end';
        menu.setAttribute('data-stage-id', current);
        board.querySelectorAll('[data-column]').forEach(function (column) {
            var id = column.getAttribute('data-column');
            if (id === current) {
                return;
            }
            var item = document.createElement('li');
            var choice = document.createElement('button');
            choice.type = 'button';
            choice.className = 'dropdown-item';
            choice.setAttribute('data-move-to', id);
            choice.textContent = column.querySelector('h2').textContent;
            item.appendChild(choice);
            menu.appendChild(item);
        });
        return menu;
    }

    board.addEventListener('click', function (event) {
        var choice = event.target.closest('[data-move-to]');
        if (!choice) {
            return;
        }
        var card = choice.closest('.crm-deal-card');
        var button = card.querySelector('[data-move-menu]');
        var dropdown = window.bootstrap.Dropdown.getOrCreateInstance(button);
        dropdown.hide();
        dropdown.dispose();
        choice.closest('.dropdown-menu').remove();
        var from = card.parentElement;
        var to = board.querySelector('[data-cards][data-stage-id="' + choice.getAttribute('data-move-to') + '"]');
        var drop = { item: card, from: from, oldIndex: Array.prototype.indexOf.call(from.children, card), to: to, settled: false, keyboard: true };
        to.insertBefore(card, to.firstElementChild);
        card.scrollIntoView({ block: 'nearest', inline: 'nearest' });
        move(drop, null);
    });

    function updateHead(column) {
        var section = board.querySelector('[data-column="' + column.stageId + '"]');
        if (!section) {
            return;
        }
        section.querySelector('[data-count]').textContent = column.count;
        section.querySelector('[data-sum]').textContent = column.sum;
        var other = section.querySelector('[data-other]');
        other.textContent = column.other || '';
        other.classList.toggle('d-none', !column.other);
    }

    function element(html) {
        var template = document.createElement('template');
        template.innerHTML = html.trim();
        return template.content.firstElementChild;
    }

    function toast(text) {
        window.CrmToast(text, { failed: true, marker: 'data-board-toast', closeText: board.getAttribute('data-close-text'), delay: 8000 });
    }

    dialogForm.addEventListener('submit', function (event) {
        event.preventDefault();
        if (!asking) {
            return;
        }
        move(asking, new URLSearchParams(new FormData(dialogForm)));
    });

    // Closing the dialog without a move puts the card back.
    dialogElement.addEventListener('hidden.bs.modal', function () {
        var drop = asking;
        asking = null;
        dialogFields.innerHTML = '';
        if (drop && !drop.settled) {
            drop.settled = true;
            rollBack(drop);
        }
    });

    dialogElement.addEventListener('shown.bs.modal', function () {
        var first = dialogFields.querySelector('input:not([type=hidden]), select, textarea');
        if (first) {
            first.focus();
        }
    });
})();
