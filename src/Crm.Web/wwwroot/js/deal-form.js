// The deal form: line item rows (add, remove, live totals; the amount follows them), the pipeline
// switch, and the company and contact pickers. The server checks and computes everything again.
(function () {
    'use strict';

    var form = document.querySelector('[data-deal-form]');
    if (!form) {
        return;
    }

    function parse(text) {
        var cleaned = (text || '').replace(/[\s\u00a0\u202f%]/g, '').replace(',', '.');
        var value = parseFloat(cleaned);
        return isNaN(value) ? null : value;
    }

    var locale = document.documentElement.lang || undefined;
    function money(value) {
        return value.toLocaleString(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    }

    // Line items.
    var table = form.querySelector('[data-items]');
    var body = table ? table.querySelector('tbody') : null;
    var amount = form.querySelector('[data-deal-amount-input]');
    var addButton = form.querySelector('[data-item-add]');

    function renumber() {
        body.querySelectorAll('[data-item-row]').forEach(function (row, index) {
            row.querySelectorAll('input').forEach(function (input) {
                input.name = input.name.replace(/Items\[\d+\]/, 'Items[' + index + ']');
            });
        });
    }

    function recalculate() {
        var sum = 0;
        var any = false;
        body.querySelectorAll('[data-item-row]').forEach(function (row) {
            var name = row.querySelector('[data-item="name"]').value.trim();
            var quantity = parse(row.querySelector('[data-item="quantity"]').value);
            var price = parse(row.querySelector('[data-item="price"]').value);
            var discount = parse(row.querySelector('[data-item="discount"]').value) || 0;
            var cell = row.querySelector('[data-item-total]');
            if (name === '' && price === null) {
                cell.textContent = '';
                return;
            }
            any = true;
            var total = Math.round((quantity === null ? 1 : quantity) * (price || 0) * (100 - discount)) / 100;
            sum += total;
            cell.textContent = money(total);
        });
        if (amount) {
            amount.readOnly = any;
            if (any) {
                // As the server shows it ("107 800,45" in ru); the server reads either form back.
                amount.value = money(Math.round(sum * 100) / 100);
            }
        }
    }

    if (body) {
        addButton.classList.remove('d-none');
        addButton.addEventListener('click', function () {
            var rows = body.querySelectorAll('[data-item-row]');
            var copy = rows[rows.length - 1].cloneNode(true);
            copy.querySelectorAll('input').forEach(function (input) {
                input.value = input.getAttribute('data-item') === 'quantity' ? '1' : '';
                input.classList.remove('is-invalid');
            });
            copy.querySelectorAll('.field-validation-error').forEach(function (message) { message.remove(); });
            body.appendChild(copy);
            renumber();
            recalculate();
            copy.querySelector('[data-item="name"]').focus();
        });
        body.addEventListener('click', function (event) {
            var button = event.target.closest('[data-item-remove]');
            if (!button) {
                return;
            }
            var rows = body.querySelectorAll('[data-item-row]');
            var row = button.closest('[data-item-row]');
            if (rows.length === 1) {
                row.querySelectorAll('input').forEach(function (input) { input.value = input.getAttribute('data-item') === 'quantity' ? '1' : ''; });
            } else {
                row.remove();
            }
            renumber();
            recalculate();
            addButton.focus();
        });
        body.addEventListener('input', recalculate);
        recalculate();
    }

    // A new deal's pipeline: other stages and custom fields, so the form is shown again for it (input kept).
    var pipeline = form.querySelector('[data-deal-pipeline]');
    var switchButton = form.querySelector('[data-deal-switch]');
    if (pipeline && switchButton) {
        switchButton.classList.add('visually-hidden');
        pipeline.addEventListener('change', function () { switchButton.click(); });
    }

    // Company and contact pickers: suggestions as you type; choosing one sets the hidden id.
    form.querySelectorAll('[data-client-picker]').forEach(function (input) {
        var kind = input.getAttribute('data-client-picker');
        window.CrmPicker.attach(input, form.querySelector('[data-picker-id="' + kind + '"]'), function (text) {
            return '/deals/clients?kind=' + kind + '&q=' + encodeURIComponent(text);
        });
    });
})();
