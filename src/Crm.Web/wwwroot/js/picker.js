// A search picker (a deal's company or contact, a task's linked record): suggestions from a JSON endpoint
// answering [{ id, name }] as the user types (from 2 characters, debounced), arrow keys and Enter to
// choose, Escape to close; choosing sets the hidden id, typing something else clears it. Forms call
// CrmPicker.attach(input, hidden, urlFor), where urlFor(text) gives the address to ask (or null: ask nothing).
window.CrmPicker = (function () {
    'use strict';

    function attach(input, hidden, urlFor) {
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
            var url = text.length < 2 ? null : urlFor(text);
            if (!url) {
                close();
                return;
            }
            fetch(url, { headers: { 'Accept': 'application/json' } })
                .then(function (response) { return response.ok ? response.json() : []; })
                .then(show)
                .catch(close);
        }

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

        return {
            // Forget the choice and the text (the task form's record kind changed).
            clear: function () {
                hidden.value = '';
                input.value = '';
                chosenName = '';
                close();
            },
        };
    }

    return { attach: attach };
})();
