// The careers page chat. Talks only to our server (/api/chat); every text is
// inserted with textContent, never as HTML.
(function () {
  "use strict";
  var log = document.getElementById("log");
  var form = document.getElementById("composer");
  var input = document.getElementById("message");
  var sendButton = document.getElementById("send");
  var typing = document.getElementById("typing");
  var status = document.getElementById("status");
  var counter = document.getElementById("counter");
  var csrf = form.dataset.csrf;
  var limit = parseInt(form.dataset.limit, 10) || 5000;
  var busy = false;

  function timeLabel(iso) {
    var d = iso ? new Date(iso) : new Date();
    return d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  }

  function clearQuickReplies() {
    var groups = log.querySelectorAll(".quick-replies");
    for (var i = 0; i < groups.length; i++) groups[i].remove();
  }

  function addMessage(msg, withButtons) {
    var item = document.createElement("div");
    var mine = msg.sender === "candidate";
    item.className = "msg " + (mine ? "msg-candidate" : "msg-bot") + (msg.local ? " msg-local" : "");
    var who = document.createElement("span");
    who.className = "visually-hidden";
    who.textContent = mine ? "You said: " : "Assistant: ";
    item.appendChild(who);
    var text = document.createElement("p");
    text.className = "msg-text";
    text.textContent = msg.text;
    item.appendChild(text);
    var when = document.createElement("time");
    when.className = "msg-time";
    if (msg.at) when.dateTime = msg.at;
    when.textContent = timeLabel(msg.at);
    item.appendChild(when);
    log.appendChild(item);
    if (withButtons && msg.buttons && msg.buttons.length) {
      var group = document.createElement("div");
      group.className = "quick-replies";
      group.setAttribute("role", "group");
      group.setAttribute("aria-label", "Quick replies");
      msg.buttons.forEach(function (b) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "quick-reply";
        button.textContent = b.title;
        button.addEventListener("click", function () { send(b.payload, b.title); });
        group.appendChild(button);
      });
      log.appendChild(group);
    }
    log.scrollTop = log.scrollHeight;
  }

  function setBusy(value) {
    busy = value;
    typing.hidden = !value;
    log.setAttribute("aria-busy", value ? "true" : "false");
    sendButton.disabled = value;
    var qr = log.querySelectorAll(".quick-reply");
    for (var i = 0; i < qr.length; i++) qr[i].disabled = value;
  }

  function showError(text) { status.textContent = text; }

  function send(message, title) {
    if (busy) return;
    message = (message || "").trim();
    if (!message) { showError("Please write a message first."); return; }
    if (message.length > limit) {
      showError("Your message is " + message.length + " characters long; the limit is " + limit + ". Please shorten it.");
      return;
    }
    showError("");
    var typed = !title;
    var shown = title || message;
    setBusy(true);
    fetch("/api/chat", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify(title ? { message: message, title: title } : { message: message })
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) {
          throw new Error(data.message || "The message could not be sent. Please try again.");
        }
        return data;
      });
    }).then(function (data) {
      clearQuickReplies();
      addMessage({ sender: "candidate", text: shown }, false);
      if (typed) { input.value = ""; updateCounter(); }
      var messages = data.messages || [];
      messages.forEach(function (m, i) { addMessage(m, i === messages.length - 1); });
    }).catch(function (err) {
      // Nothing was recorded: the text stays in the box for another try.
      if (typed) input.value = message;
      showError(err.message || "The message could not be sent. Please check your connection and try again.");
    }).then(function () {
      setBusy(false);
      input.focus();
    });
  }

  function updateCounter() {
    counter.textContent = input.value.length + " / " + limit;
    counter.classList.toggle("over", input.value.length > limit);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    send(input.value);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      send(input.value);
    }
  });
  input.addEventListener("input", updateCounter);

  fetch("/api/chat", { credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(function (data) {
      var messages = data.messages || [];
      if (!messages.length) {
        addMessage({ sender: "bot", local: true, text: "Welcome! Press Start when you are ready.", buttons: [{ title: "Start the screening", payload: "hello" }] }, true);
        return;
      }
      var lastBot = -1;
      messages.forEach(function (m, i) { if (m.sender === "bot") lastBot = i; });
      messages.forEach(function (m, i) { addMessage(m, i === lastBot && i === messages.length - 1); });
    })
    .catch(function () { showError("The conversation could not be loaded. Please reload the page."); });
})();
