// Asks before a form that cannot be undone goes (a form with data-confirm): a dialog with the
// question, the step's own word to go on, and 取消 to stay. Going on sends the form with
// confirmed=1. Without this script (or without <dialog>) the server asks on a page of its own.
(function () {
  if (!window.HTMLDialogElement) { return; }
  document.addEventListener("submit", function (e) {
    var form = e.target;
    var question = form.getAttribute("data-confirm");
    if (!question || form.querySelector('input[name="confirmed"]')) { return; }
    e.preventDefault();
    var dialog = document.createElement("dialog");
    dialog.className = "confirm";
    dialog.setAttribute("aria-labelledby", "dialog-question");
    var p = document.createElement("p");
    p.id = "dialog-question";
    p.textContent = question;
    var yes = document.createElement("button");
    yes.type = "button";
    yes.id = "dialog-yes";
    yes.className = "danger";
    yes.textContent = form.getAttribute("data-confirm-yes") || "OK";
    var no = document.createElement("button");
    no.type = "button";
    no.id = "dialog-no";
    no.className = "secondary";
    no.textContent = form.getAttribute("data-confirm-no") || "Cancel";
    var row = document.createElement("p");
    row.className = "actions";
    row.appendChild(yes);
    row.appendChild(document.createTextNode(" "));
    row.appendChild(no);
    dialog.appendChild(p);
    dialog.appendChild(row);
    yes.addEventListener("click", function () {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = "confirmed";
      input.value = "1";
      form.appendChild(input);
      dialog.close();
      form.submit();
    });
    no.addEventListener("click", function () { dialog.close(); dialog.remove(); });
    dialog.addEventListener("close", function () { dialog.remove(); });
    document.body.appendChild(dialog);
    dialog.showModal();
    no.focus();
  });
})();
