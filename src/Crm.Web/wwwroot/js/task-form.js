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

    var list = document.getElementById(input.getAttribute('aria-controls'));
    var timer = null;
    var chosenName = input.value;

    function close() {
        list.innerHTML = '';
        list.classList.add('d-none');
        input.setAttribute('aria-expanded', 'false');
    }

    function choose(id, name) {
        hidden.value = id;
        input.value = name;
        chosenName = name;
        input.classList.remove('is-invalid');
        close();
    }

    function show(items) {
        list.innerHTML = '';
        items.forEach(function (item) {
            var option = document.createElement('li');
            option.className = 'list-group-item list-group-item-action crm-picker-option';
            option.setAttribute('role', 'option');
            option.tabIndex = -1;
            option.textContent = item.name;
            option.addEventListener('mousedown', function (event) {
                event.preventDefault();
                choose(item.id, item.name);
            });
            option.addEventListener('keydown', function (event) {
                if (event.key === 'Enter') {
                    event.preventDefault();
                    choose(item.id, item.name);
                    input.focus();
                }
            });
            list.appendChild(option);
        });
        list.classList.toggle('d-none', items.length === 0);
        input.setAttribute('aria-expanded', items.length > 0 ? 'true' : 'false');
    }

    function search() {
        var text = input.value.trim();
        if (!kind.value || text.length < 2) {
            close();
            return;
        }
        fetch('/tasks/links?kind=' + encodeURIComponent(kind.value) + '&q=' + encodeURIComponent(text), { headers: { 'Accept': 'application/json' } })
            .then(function (response) { return response.ok ? response.json() : []; })
            .then(show)
            .catch(close);
    }

    kind.addEventListener('change', function () {
        hidden.value = '';
        input.value = '';
        chosenName = '';
        input.disabled = !kind.value;
        close();
        if (kind.value) {
            input.focus();
        }
    });
    input.addEventListener('input', function () {
        if (input.value !== chosenName) {
            hidden.value = '';
        }
        clearTimeout(timer);
        timer = setTimeout(search, 250);
    });
    input.addEventListener('keydown', function (event) {
        if (event.key === 'ArrowDown' && list.firstChild) {
            event.preventDefault();
            list.firstChild.focus();
        } else if (event.key === 'Escape') {
            close();
        } else if (event.key === 'Enter' && list.firstChild) {
            event.preventDefault();
            list.firstChild.dispatchEvent(new MouseEvent('mousedown'));
        }
    });
    list.addEventListener('keydown', function (event) {
        var current = event.target;
        if (event.key === 'ArrowDown' && current.nextSibling) {
            event.preventDefault();
            current.nextSibling.focus();
        } else if (event.key === 'ArrowUp') {
            event.preventDefault();
            (current.previousSibling || input).focus();
        } else if (event.key === 'Escape') {
            close();
            input.focus();
        }
    });
    input.addEventListener('blur', function () { setTimeout(close, 150); });
})();
