// The live dispatch board: server-sent events add each new happening at the top. EventSource
// reconnects by itself after a drop and sends the last id it saw, so nothing is missed.
(function () {
  var board = document.getElementById("board");
  if (!board || !window.EventSource) { return; }
  var status = document.getElementById("board-status");
  var source = new EventSource(board.dataset.source);
  source.onopen = function () { status.textContent = status.dataset.live; };
  source.onerror = function () { status.textContent = status.dataset.offline; };
  source.addEventListener("order", function (m) {
    var e = JSON.parse(m.data);
    if (board.querySelector('li[data-id="' + e.id + '"]')) { return; }
    var li = document.createElement("li");
    li.dataset.id = e.id;
    li.className = "board-" + e.action + " changed";
    var time = document.createElement("time");
    time.dateTime = e.at;
    time.textContent = e.time;
    var a = document.createElement("a");
    a.href = "/orders/" + e.order_id;
    a.textContent = e.text;
    li.appendChild(time);
    li.appendChild(document.createTextNode(" "));
    li.appendChild(a);
    board.insertBefore(li, board.firstChild);
    var empty = document.getElementById("board-empty");
    if (empty) { empty.remove(); }
  });
})();
