// The Assistants function-calling guide's JavaScript streaming example, for the current SDK: as the guide wrote it,
// with the calling convention of the SDK's 5.x+ majors for the path parameters of the tool-output calls.
// Only the block marked "Added for the tests" is new: it prints what the handler saw, for test_node_sdk.py.
// OPENAI_API_KEY and OPENAI_BASE_URL come from the environment, as with any legacy code.
import OpenAI from "openai";
import { EventEmitter } from "events";

const client = new OpenAI();

const assistant = await client.beta.assistants.create({
  model: "gpt-4o",
  instructions:
    "You are a weather bot. Use the provided functions to answer questions.",
  tools: [
    {
      type: "function",
      function: {
        name: "getCurrentTemperature",
        description: "Get the current temperature for a specific location",
        parameters: {
          type: "object",
          properties: {
            location: {
              type: "string",
              description: "The city and state, e.g., San Francisco, CA",
            },
            unit: {
              type: "string",
              enum: ["Celsius", "Fahrenheit"],
              description:
                "The temperature unit to use. Infer this from the user's location.",
            },
          },
          required: ["location", "unit"],
        },
      },
    },
    {
      type: "function",
      function: {
        name: "getRainProbability",
        description: "Get the probability of rain for a specific location",
        parameters: {
          type: "object",
          properties: {
            location: {
              type: "string",
              description: "The city and state, e.g., San Francisco, CA",
            },
          },
          required: ["location"],
        },
      },
    },
  ],
});

const thread = await client.beta.threads.create();
const message = await client.beta.threads.messages.create(thread.id, {
  role: "user",
  content: "What's the weather in San Francisco today and the likelihood it'll rain?",
});

class EventHandler extends EventEmitter {
  constructor(client) {
    super();
    this.client = client;
  }

  async onEvent(event) {
    try {
      console.log(event);
      // Retrieve events that are denoted with 'requires_action'
      // since these will have our tool_calls
      if (event.event === "thread.run.requires_action") {
        await this.handleRequiresAction(
          event.data,
          event.data.id,
          event.data.thread_id,
        );
      }
    } catch (error) {
      console.error("Error handling event:", error);
    }
  }

  async handleRequiresAction(data, runId, threadId) {
    try {
      const toolOutputs =
        data.required_action.submit_tool_outputs.tool_calls.map((toolCall) => {
          if (toolCall.function.name === "getCurrentTemperature") {
            return {
              tool_call_id: toolCall.id,
              output: "57",
            };
          } else if (toolCall.function.name === "getRainProbability") {
            return {
              tool_call_id: toolCall.id,
              output: "0.06",
            };
          }
        });
      // Submit all the tool outputs at the same time
      await this.submitToolOutputs(toolOutputs, runId, threadId);
    } catch (error) {
      console.error("Error processing required action:", error);
    }
  }

  async submitToolOutputs(toolOutputs, runId, threadId) {
    try {
      // Use the submitToolOutputsStream helper
      const stream = this.client.beta.threads.runs.submitToolOutputsStream(runId, {
        thread_id: threadId,
        tool_outputs: toolOutputs,
      });
      for await (const event of stream) {
        this.emit("event", event);
      }
    } catch (error) {
      console.error("Error submitting tool outputs:", error);
    }
  }
}

const eventHandler = new EventHandler(client);
eventHandler.on("event", eventHandler.onEvent.bind(eventHandler));

// Added for the tests: what the handler was given, printed once the tool outputs' stream has ended too.
const seen = [];
eventHandler.on("event", (event) => seen.push(event));
process.on("beforeExit", () => {
  // (the SDK accumulates message deltas into the first one it saw, so the text is read off the completed message)
  const text = seen
    .filter((event) => event.event === "thread.message.completed")
    .map((event) => event.data.content.map((part) => part.text.value).join(""))
    .join("\n");
  const deltas = seen.filter((event) => event.event === "thread.message.delta").length;
  const runs = seen.filter((event) => event.event.startsWith("thread.run.") && !event.event.startsWith("thread.run.step"));
  const calls = seen
    .filter((event) => event.event === "thread.run.requires_action")
    .flatMap((event) => event.data.required_action.submit_tool_outputs.tool_calls.map((call) => call.function.name));
  const final = runs.at(-1);
  console.log("RESULT " + JSON.stringify({ calls, text, deltas, final: final?.event, status: final?.data.status }));
});

const stream = await client.beta.threads.runs.stream(
  thread.id,
  { assistant_id: assistant.id },
  eventHandler,
);

for await (const event of stream) {
  eventHandler.emit("event", event);
}
