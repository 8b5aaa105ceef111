// The share page: "what your worker will see" follows the code form as it is filled in
// (the page renders it for the form's first state; this keeps it true while choosing).

const pad = (n) => String(n);
const dayText = (date) => `${pad(date.getUTCDate())}.${pad(date.getUTCMonth() + 1)}.${date.getUTCFullYear()}`;

document.querySelectorAll("[data-share-preview]").forEach((preview) => {
  const form = preview.closest("form");
  if (!form) return;
  const today = Date.parse(`${preview.dataset.today}T00:00:00Z`);
  const update = () => {
    const scope = form.querySelector("input[name$=scope]:checked");
    preview.querySelectorAll("[data-preview-scope]").forEach((line) => {
      line.hidden = scope ? line.dataset.previewScope !== scope.value : line.dataset.previewScope !== "diary";
    });
    const days = Number.parseInt(form.querySelector("[name$=grant_days]").value, 10);
    if (Number.isInteger(days) && days >= 1 && days <= 365) {
      preview.querySelector("[data-preview-days]").textContent = String(days);
      preview.querySelector("[data-preview-until]").textContent = dayText(new Date(today + days * 86400000));
    }
    const label = form.querySelector("[name$=label]").value.trim().replace(/\s+/g, " ");
    preview.querySelector("[data-preview-label]").textContent = label || preview.dataset.noLabel;
  };
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();
});
