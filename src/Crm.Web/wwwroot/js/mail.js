// Mail compose: says at once when the chosen files are too big for one mail, instead of after a long upload.
(function () {
    const input = document.querySelector('[data-mail-compose] input[type=file][data-max-bytes]');
    if (!input) {
        return;
    }

    const message = document.querySelector('[data-attachments-error]');
    const max = Number(input.dataset.maxBytes);
    input.addEventListener('change', () => {
        const total = Array.from(input.files).reduce((sum, file) => sum + file.size, 0);
        const tooBig = total > max;
        input.classList.toggle('is-invalid', tooBig);
        input.setCustomValidity(tooBig ? 'too big' : '');
        message.textContent = tooBig ? input.dataset.tooBig.replace('{0}', (total / 1048576).toFixed(1)) : '';
    });
    input.form.addEventListener('submit', (event) => {
        if (!input.checkValidity()) {
            event.preventDefault();
            input.focus();
        }
    });
})();
