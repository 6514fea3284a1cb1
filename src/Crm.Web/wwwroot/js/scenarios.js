// Scenario admin pages: the list's switches and pipeline filter send themselves; the form shows each action's
// own fields for its kind, the stages of the chosen pipeline, and adds, removes and reorders condition and
// action rows, renumbering their names so the server binds them in the order shown.
(function () {
    'use strict';

    document.addEventListener('change', function (event) {
        var target = event.target;
        if (target.matches('[data-autosubmit]') && target.form) {
            target.form.requestSubmit();
        }
    });

    var form = document.querySelector('[data-scenario-form]');
    if (!form) {
        return;
    }

    var pipelineSelect = form.querySelector('[data-scenario-pipeline]');
    var triggerSelect = form.querySelector('[data-scenario-trigger]');

    function showKindFields(row) {
        var kind = row.querySelector('[data-action-kind]').value;
        var recipient = row.querySelector('[data-action-recipient]').value;
        row.querySelectorAll('[data-for]').forEach(function (group) {
            var forKind = group.getAttribute('data-for').split(' ').indexOf(kind) >= 0;
            var forRecipient = !group.hasAttribute('data-for-recipient') || group.getAttribute('data-for-recipient') === recipient;
            group.classList.toggle('d-none', !(forKind && forRecipient));
        });
    }

    function showConditionValue(row) {
        var op = row.querySelector('[data-condition-operator]').value;
        row.querySelector('[data-condition-value]').classList.toggle('invisible', op === 'empty' || op === 'set');
    }

    // Only the chosen pipeline's stages are offered (all of them when any pipeline is allowed).
    function limitStages() {
        var pipeline = pipelineSelect.value;
        form.querySelectorAll('[data-stage-select]').forEach(function (select) {
            select.querySelectorAll('optgroup').forEach(function (group) {
                var hidden = pipeline !== '' && group.getAttribute('data-pipeline') !== pipeline;
                group.hidden = hidden;
                group.disabled = hidden;
            });
            var chosen = select.selectedOptions[0];
            if (chosen && chosen.parentElement.disabled) {
                select.value = '';
            }
        });
    }

    function showStageField() {
        form.querySelector('[data-stage-field]').classList.toggle('d-none', triggerSelect.value !== 'stage_entered');
    }

    // A lead's or a task's trigger: no pipeline, no dry run on a deal, no deal-only actions; conditions test that
    // record's fields. (The server checks it all again; the form only stops offering what would be refused.)
    function showRecordKind() {
        var chosen = triggerSelect.selectedOptions[0];
        var kind = chosen ? chosen.getAttribute('data-record-kind') : 'deal';
        var onDeal = kind === 'deal';
        document.querySelectorAll('[data-deal-field]').forEach(function (element) {
            element.classList.toggle('d-none', !onDeal);
        });
        form.querySelectorAll('[data-deal-only]').forEach(function (option) {
            option.disabled = !onDeal && !option.selected;
        });
        document.querySelectorAll('[data-placeholders-for]').forEach(function (list) {
            list.classList.toggle('d-none', list.getAttribute('data-placeholders-for') !== kind);
        });
        var fields = document.querySelector('[data-condition-fields="' + kind + '"]');
        var datalist = document.getElementById('condition-fields');
        if (fields && datalist) {
            datalist.replaceChildren(fields.content.cloneNode(true));
        }
    }

    function renumber(list) {
        var prefix = list.getAttribute('data-rows');
        var letter = prefix === 'Actions' ? 'a' : 'c';
        var names = new RegExp('^' + prefix + '\\[[^\\]]+\\]');
        var ids = new RegExp('^' + letter + '[^-]+-');
        Array.prototype.forEach.call(list.children, function (row, index) {
            row.querySelectorAll('[name]').forEach(function (element) {
                element.name = element.name.replace(names, prefix + '[' + index + ']');
            });
            ['id', 'for', 'aria-describedby'].forEach(function (attribute) {
                row.querySelectorAll('[' + attribute + ']').forEach(function (element) {
                    element.setAttribute(attribute, element.getAttribute(attribute).replace(ids, letter + index + '-'));
                });
            });
            var number = row.querySelector('[data-action-number]');
            if (number) {
                number.textContent = String(index + 1);
            }
        });
        var none = form.querySelector('[data-no-conditions]');
        if (none && prefix === 'Conditions') {
            none.hidden = list.children.length > 0;
        }
    }

    form.addEventListener('change', function (event) {
        var target = event.target;
        var row = target.closest('[data-action-row]');
        if (row && (target.matches('[data-action-kind]') || target.matches('[data-action-recipient]'))) {
            showKindFields(row);
        }
        if (target.matches('[data-condition-operator]')) {
            showConditionValue(target.closest('[data-condition-row]'));
        }
        if (target === pipelineSelect) {
            limitStages();
        }
        if (target === triggerSelect) {
            showStageField();
            showRecordKind();
        }
    });

    form.addEventListener('click', function (event) {
        var button = event.target.closest('button');
        if (!button) {
            return;
        }
        var add = button.getAttribute('data-add-row');
        if (add) {
            var list = form.querySelector('[data-rows="' + add + '"]');
            var template = document.querySelector('[data-row-template="' + add + '"]');
            var row = template.content.firstElementChild.cloneNode(true);
            list.appendChild(row);
            renumber(list);
            if (row.matches('[data-action-row]')) {
                showKindFields(row);
                showRecordKind();
            }
            limitStages();
            var first = row.querySelector('input, select, textarea');
            if (first) {
                first.focus();
            }
            return;
        }
        var current = button.closest('[data-action-row], [data-condition-row]');
        if (!current) {
            return;
        }
        var rows = current.parentElement;
        if (button.hasAttribute('data-row-remove')) {
            current.remove();
        } else if (button.hasAttribute('data-row-up') && current.previousElementSibling) {
            rows.insertBefore(current, current.previousElementSibling);
            button.focus();
        } else if (button.hasAttribute('data-row-down') && current.nextElementSibling) {
            rows.insertBefore(current.nextElementSibling, current);
            button.focus();
        } else {
            return;
        }
        renumber(rows);
    });

    form.querySelectorAll('[data-rows]').forEach(renumber);
    form.querySelectorAll('[data-action-row]').forEach(showKindFields);
    form.querySelectorAll('[data-condition-row]').forEach(showConditionValue);
    limitStages();
    showStageField();
    showRecordKind();
})();
