// The storefront chat page: streams answers from POST /api/chat (server-sent events), shows who speaks
// and each handoff, keeps the conversation across reloads. No dependencies, no build step.

const CONVERSATION_KEY = "ecommerce-agents.conversation";
const SHOPPER_KEY = "ecommerce-agents.shopper";

const $ = (id) => document.getElementById(id);
const transcript = $("transcript");
const composer = $("composer");
const input = $("message");
const sendButton = $("send");

let conversationId = localStorage.getItem(CONVERSATION_KEY);
let shopper = readShopper();
let answering = false;

function readShopper() {
  try {
    return JSON.parse(localStorage.getItem(SHOPPER_KEY) || "null");
  } catch {
    return null;
  }
}

function headers(extra = {}) {
  const all = { ...extra };
  if (shopper?.token) all.authorization = `Bearer ${shopper.token}`;
  return all;
}

function remember(id) {
  conversationId = id;
  if (id) localStorage.setItem(CONVERSATION_KEY, id);
  else localStorage.removeItem(CONVERSATION_KEY);
}

// ---- rendering -------------------------------------------------------------------------------

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function addMessage(author, kind) {
  $("hint")?.remove();
  const article = element("article", `message ${kind}`);
  article.dataset.author = author;
  const who = element("p", "author", kind === "shopper" ? "You" : author);
  const body = element("p", "body");
  article.append(who, body);
  transcript.append(article);
  article.scrollIntoView({ block: "end" });
  return article;
}

function addText(article, text) {
  article.querySelector(".body").textContent += text;
  article.scrollIntoView({ block: "end" });
}

function addHandoff(source, target) {
  const line = element("p", "handoff");
  line.dataset.source = source;
  line.dataset.target = target;
  line.append(
    element("span", "label", "handoff "),
    element("span", "agent-name", source),
    element("span", "arrow", " → "),
    element("span", "sr-only", " to "),
    element("span", "agent-name", target),
  );
  line.querySelector(".arrow").setAttribute("aria-hidden", "true");
  transcript.append(line);
}

function addNotice(text, kind = "error") {
  $("hint")?.remove();
  const note = element("p", `notice ${kind}`, text);
  if (kind === "error") note.setAttribute("role", "alert");
  transcript.append(note);
  note.scrollIntoView({ block: "end" });
}

function addUsage(usage) {
  const parts = [`${usage.llm_calls} model call${usage.llm_calls === 1 ? "" : "s"}`];
  parts.push(`${usage.input_tokens.toLocaleString()} tokens in, ${usage.output_tokens.toLocaleString()} out`);
  transcript.append(element("p", "usage", parts.join(" · ")));
}

function clearTranscript() {
  transcript.replaceChildren(element("p", "hint", "Ask about products, stock, prices, reviews or your orders."));
  transcript.lastChild.id = "hint";
}

// ---- streaming a turn ------------------------------------------------------------------------

async function* serverSentEvents(response) {
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value.replace(/\r\n?/g, "\n");
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = "message";
      const data = [];
      for (const line of block.split("\n")) {
        if (line.startsWith("event:")) event = line.slice(6).trim();
        else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
      }
      if (data.length) yield { event, data: JSON.parse(data.join("\n")) };
    }
  }
}

async function errorMessage(response) {
  try {
    const body = await response.json();
    if (body.message) return body.message;
  } catch {
    // not JSON: fall through
  }
  return `The chat service answered ${response.status}. Please try again.`;
}

async function send(text) {
  addMessage("shopper", "shopper").querySelector(".body").textContent = text;
  let response;
  try {
    response = await fetch("/api/chat", {
      method: "POST",
      headers: headers({ "content-type": "application/json", accept: "text/event-stream" }),
      body: JSON.stringify({ message: text, conversation_id: conversationId }),
    });
  } catch {
    addNotice("The chat service can't be reached. Check your connection and try again.");
    return;
  }
  if (!response.ok) {
    if (response.status === 401) signOut("Your sign-in is no longer valid; you are browsing anonymously.");
    addNotice(await errorMessage(response));
    return;
  }
  let speaking = null;
  const speak = (agent) => {
    if (speaking?.dataset.author === agent) return speaking;
    speaking?.removeAttribute("aria-busy");
    speaking = addMessage(agent, "agent");
    speaking.setAttribute("aria-busy", "true");
    return speaking;
  };
  try {
    for await (const { event, data } of serverSentEvents(response)) {
      if (event === "agent") speaking = null;
      else if (event === "delta") addText(speak(data.agent), data.text);
      else if (event === "handoff") addHandoff(data.source, data.target);
      else if (event === "done") {
        remember(data.conversation_id);
        addUsage(data.usage);
      } else if (event === "error") {
        if (data.conversation_id) remember(data.conversation_id);
        addNotice(data.message);
      }
    }
  } catch {
    addNotice("The answer was cut off. Your conversation is safe: please try again.");
  } finally {
    speaking?.removeAttribute("aria-busy");
  }
}

composer.addEventListener("submit", async (event) => {
  event.preventDefault();
  const text = input.value.trim();
  if (!text || answering) return;
  answering = true;
  sendButton.disabled = true;
  input.value = "";
  try {
    await send(text);
  } finally {
    answering = false;
    sendButton.disabled = false;
    input.focus();
  }
});

// ---- the conversation across reloads ---------------------------------------------------------

async function restore() {
  if (!conversationId) return;
  let response;
  try {
    response = await fetch(`/api/conversations/${encodeURIComponent(conversationId)}`, { headers: headers() });
  } catch {
    addNotice("The chat service can't be reached to load your conversation.");
    return;
  }
  if (response.status === 404 || response.status === 401) {
    if (response.status === 401) signOut("Your sign-in is no longer valid; you are browsing anonymously.");
    remember(null);
    return;
  }
  if (!response.ok) {
    addNotice(await errorMessage(response));
    return;
  }
  const { messages } = await response.json();
  for (const message of messages) {
    if (message.role === "system") addNotice(message.text);
    else {
      const kind = message.role === "user" ? "shopper" : "agent";
      addText(addMessage(message.author, kind), message.text);
    }
  }
}

function startOver() {
  remember(null);
  clearTranscript();
  input.focus();
}

$("new-conversation").addEventListener("click", startOver);

// ---- development sign-in ---------------------------------------------------------------------

function showIdentity() {
  $("who").textContent = shopper ? `Signed in as ${shopper.name} (${shopper.customer_id})` : "Browsing anonymously";
}

function signOut(reason) {
  shopper = null;
  localStorage.removeItem(SHOPPER_KEY);
  showIdentity();
  if (reason) addNotice(reason, "info");
}

async function setUpSignIn() {
  let response;
  try {
    response = await fetch("/dev/customers");
  } catch {
    return;
  }
  if (!response.ok) return; // production: there is no development sign-in
  const { customers } = await response.json();
  const select = $("customer");
  for (const customer of customers) {
    const option = element("option", "", `${customer.name} (${customer.customer_id})`);
    option.value = customer.customer_id;
    select.append(option);
  }
  select.value = shopper?.customer_id ?? "";
  const form = $("signin");
  form.hidden = false;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const chosen = select.value;
    if ((shopper?.customer_id ?? "") === chosen) return;
    if (!chosen) {
      signOut();
      startOver();
      return;
    }
    const answer = await fetch("/dev/token", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ customer_id: chosen }),
    });
    if (!answer.ok) {
      addNotice(await errorMessage(answer));
      return;
    }
    const { token, customer_id, name } = await answer.json();
    shopper = { token, customer_id, name };
    localStorage.setItem(SHOPPER_KEY, JSON.stringify(shopper));
    showIdentity();
    startOver(); // a conversation belongs to who started it: a new identity starts a new one
  });
}

showIdentity();
answering = true; // until the stored conversation is back on screen
sendButton.disabled = true;
transcript.setAttribute("aria-busy", "true"); // restored messages are not news to announce
try {
  await Promise.all([setUpSignIn(), restore()]);
} finally {
  transcript.removeAttribute("aria-busy");
  answering = false;
  sendButton.disabled = false;
  document.body.dataset.ready = "true";
}
