"""Non-streaming responses through the real SDK: objects, conversations, tool calls, the default model."""

from __future__ import annotations

import json
import threading
from typing import Any

import openai
import pytest

from compat.emulator import Emulator, RecordedRequest, Turn, Usage

WEATHER_TOOL: dict[str, Any] = {
    "type": "function",
    "name": "get_weather_at_location",
    "description": "Gets the weather at a specified location, optionally specifying units for temperature",
    "parameters": {
        "type": "object",
        "properties": {"location": {"type": "string"}, "unit": {"type": "string", "enum": ["C", "F", "K"]}},
        "required": ["location"],
    },
    "strict": False,
}


def _function(name: str, description: str, required: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "function",
        "name": name,
        "description": description,
        "parameters": {"type": "object", "properties": required, "required": list(required)},
        "strict": False,
    }


def test_whole_response_object(client: openai.OpenAI, emulator: Emulator) -> None:
    emulator.queue(Turn.text("Hello! How can I assist you today?", usage=Usage(11, 10)))
    response = client.responses.create(model="gpt-4o-mini", input="Hello, model!", metadata={"k": "v"})
    raw = client.responses.with_raw_response.retrieve(response.id).http_response.json()
    assert raw == {
        "id": "resp_0002",
        "object": "response",
        "created_at": 1_700_000_000,
        "status": "completed",
        "background": False,
        "billing": {"payer": "developer"},
        "completed_at": 1_700_000_000,
        "error": None,
        "frequency_penalty": 0.0,
        "incomplete_details": None,
        "instructions": None,
        "max_output_tokens": None,
        "max_tool_calls": None,
        "model": "gpt-4o-mini-2024-07-18",
        "moderation": None,
        "output": [
            {
                "id": "msg_0003",
                "type": "message",
                "status": "completed",
                "content": [
                    {
                        "type": "output_text",
                        "annotations": [],
                        "logprobs": [],
                        "text": "Hello! How can I assist you today?",
                    }
                ],
                "role": "assistant",
            }
        ],
        "parallel_tool_calls": True,
        "presence_penalty": 0.0,
        "previous_response_id": None,
        "prompt_cache_key": None,
        "prompt_cache_retention": "in_memory",
        "reasoning": {"context": None, "effort": None, "summary": None},
        "safety_identifier": None,
        "service_tier": "default",
        "store": True,
        "temperature": 1.0,
        "text": {"format": {"type": "text"}, "verbosity": "medium"},
        "tool_choice": "auto",
        "tool_usage": {
            "image_gen": {
                "input_tokens": 0,
                "input_tokens_details": {"image_tokens": 0, "text_tokens": 0},
                "output_tokens": 0,
                "output_tokens_details": {"image_tokens": 0, "text_tokens": 0},
                "total_tokens": 0,
            },
            "web_search": {"num_requests": 0},
        },
        "tools": [],
        "top_logprobs": 0,
        "top_p": 1.0,
        "truncation": "disabled",
        "usage": {
            "input_tokens": 11,
            "input_tokens_details": {"cached_tokens": 0},
            "output_tokens": 10,
            "output_tokens_details": {"reasoning_tokens": 0},
            "total_tokens": 21,
        },
        "user": None,
        "metadata": {"k": "v"},
    }
    assert emulator.requests[0] == RecordedRequest(
        "POST", "/responses", {}, {"model": "gpt-4o-mini", "input": "Hello, model!", "metadata": {"k": "v"}}
    )
    assert response.output_text == "Hello! How can I assist you today?"


def test_echoes_parameters(client: openai.OpenAI) -> None:
    response = client.responses.create(
        model="custom-model",
        input="Hi",
        instructions="Be brief.",
        tools=[WEATHER_TOOL],
        tool_choice="none",
        parallel_tool_calls=False,
        temperature=0.5,
        top_p=0.9,
        max_output_tokens=100,
        truncation="auto",
        text={"format": {"type": "json_object"}},
        user="u1",
    )
    echoed = response.model_dump(
        include={
            "model",
            "instructions",
            "tool_choice",
            "parallel_tool_calls",
            "temperature",
            "top_p",
            "max_output_tokens",
            "truncation",
            "user",
        }
    )
    assert echoed == {
        "model": "custom-model",
        "instructions": "Be brief.",
        "tool_choice": "none",
        "parallel_tool_calls": False,
        "temperature": 0.5,
        "top_p": 0.9,
        "max_output_tokens": 100,
        "truncation": "auto",
        "user": "u1",
    }
    assert response.tools[0].model_dump(exclude_unset=True) == {
        "type": "function",
        "description": WEATHER_TOOL["description"],
        "name": "get_weather_at_location",
        "parameters": WEATHER_TOOL["parameters"],
        "strict": False,
    }
    assert json.loads(response.output_text) == {"message": "Hi"}


def test_conversation_flow_with_function_calls(client: openai.OpenAI, emulator: Emulator) -> None:
    conversation = client.conversations.create(
        items=[{"type": "message", "role": "system", "content": "You are helpful."}]
    )
    emulator.queue(
        Turn.function_calls(("get_weather_at_location", {"location": "Paris"}, "call_A")),
        Turn.text("It is sunny in Paris."),
    )
    first = client.responses.create(
        model="gpt-4o", input="Weather in Paris?", conversation=conversation.id, tools=[WEATHER_TOOL]
    )
    assert first.conversation is not None and first.conversation.id == conversation.id
    assert [item.model_dump(exclude_unset=True) for item in first.output] == [
        {
            "id": "fc_0005",
            "type": "function_call",
            "status": "completed",
            "arguments": '{"location":"Paris"}',
            "call_id": "call_A",
            "name": "get_weather_at_location",
        }
    ]
    second = client.responses.create(
        model="gpt-4o",
        input=[{"type": "function_call_output", "call_id": "call_A", "output": "sunny"}],
        conversation={"id": conversation.id},
        tools=[WEATHER_TOOL],
    )
    assert second.output_text == "It is sunny in Paris."
    items = client.conversations.items.list(conversation.id, order="asc")
    assert [(item.type, item.id) for item in items] == [
        ("message", "msg_0001"),
        ("message", "msg_0003"),
        ("function_call", "fc_0005"),
        ("function_call_output", "fc_0006"),
        ("message", "msg_0008"),
    ]
    assert emulator.pending_turns == 0
    inputs = client.responses.input_items.list(second.id)
    assert [item.id for item in inputs] == ["fc_0006"]


def test_previous_response_chain_and_input_items(client: openai.OpenAI) -> None:
    first = client.responses.create(
        model="gpt-4o-mini",
        input="What should I wear for the weather in San Francisco, CA?",
        tools=[WEATHER_TOOL],
    )
    call = first.output[0]
    assert call.type == "function_call"
    assert (call.name, json.loads(call.arguments)) == (
        "get_weather_at_location",
        {"location": "San Francisco, CA"},
    )
    second = client.responses.create(
        model="gpt-4o-mini",
        previous_response_id=first.id,
        input=[{"type": "function_call_output", "call_id": call.call_id, "output": "22 celsius and windy"}],
        tools=[WEATHER_TOOL],
    )
    assert second.previous_response_id == first.id
    assert second.output_text == "The results are: get_weather_at_location: 22 celsius and windy."
    inputs = client.responses.input_items.list(second.id)
    assert [item.type for item in inputs] == ["function_call_output", "function_call", "message"]
    assert [item.type for item in client.responses.input_items.list(second.id, order="asc")] == [
        "message",
        "function_call",
        "function_call_output",
    ]


def test_default_model_parallel_calls_and_quoting(client: openai.OpenAI) -> None:
    tools = [
        _function("get_current_temperature", "Current temperature for a city", {"city": {"type": "string"}}),
        _function(
            "get_rain_probability",
            "Probability of rain for a city",
            {"city": {"type": "string"}, "days": {"type": "integer"}, "metric": {"type": "boolean"}},
        ),
        _function("send_email", "Send an email", {"to": {"type": "string"}}),
    ]
    question = "What is the temperature and the rain probability in Boston?"
    first = client.responses.create(model="gpt-4o", input=question, tools=tools)
    calls = [(item.name, json.loads(item.arguments)) for item in first.output if item.type == "function_call"]
    assert calls == [
        ("get_current_temperature", {"city": "Boston"}),
        ("get_rain_probability", {"city": "Boston", "days": 0, "metric": False}),
    ]
    outputs = [
        {"type": "function_call_output", "call_id": item.call_id, "output": value}
        for item, value in zip(first.output, ["57", "0.06"], strict=True)
        if item.type == "function_call"
    ]
    second = client.responses.create(model="gpt-4o", previous_response_id=first.id, input=outputs, tools=tools)
    assert second.output_text == "The results are: get_current_temperature: 57; get_rain_probability: 0.06."
    single = client.responses.create(model="gpt-4o", input=question, tools=tools, parallel_tool_calls=False)
    assert [item.type for item in single.output] == ["function_call"]
    echo = client.responses.create(model="gpt-4o", input="Tell me a joke", tools=tools)
    assert echo.output_text == "You said: Tell me a joke"
    forced = client.responses.create(
        model="gpt-4o", input="Hi", tools=tools, tool_choice={"type": "function", "name": "send_email"}
    )
    assert [(item.type, getattr(item, "name", None)) for item in forced.output] == [("function_call", "send_email")]


def test_default_model_json_schema_and_max_output_tokens(client: openai.OpenAI) -> None:
    schema = {
        "type": "object",
        "properties": {
            "city": {"type": "string"},
            "rank": {"type": "integer"},
            "tags": {"type": "array", "items": {"type": "string"}},
        },
        "required": ["city", "rank", "tags"],
        "additionalProperties": False,
    }
    structured = client.responses.create(
        model="gpt-4o",
        input="Describe Lyon",
        text={"format": {"type": "json_schema", "name": "city", "schema": schema, "strict": True}},
    )
    assert json.loads(structured.output_text) == {"city": "Lyon", "rank": 0, "tags": ["Lyon"]}
    assert structured.text is not None and structured.text.format is not None
    assert structured.text.format.model_dump(exclude_unset=True, by_alias=True) == {
        "type": "json_schema",
        "description": None,
        "name": "city",
        "schema": schema,
        "strict": True,
    }
    long_input = " ".join(f"word{i}" for i in range(40))
    cut = client.responses.create(model="gpt-4o", input=long_input, max_output_tokens=16)
    assert cut.status == "incomplete"
    assert cut.incomplete_details is not None and cut.incomplete_details.reason == "max_output_tokens"
    assert cut.output[0].type == "message" and cut.output[0].status == "incomplete"
    assert cut.output_text == "You said: " + " ".join(f"word{i}" for i in range(14))


def test_scripted_turn_kinds(client: openai.OpenAI, emulator: Emulator) -> None:
    emulator.queue(
        Turn.refusal("I can't help with that."),
        Turn.incomplete("content_filter", text="Partial"),
        Turn.failure(code="server_error", message="boom"),
        Turn.text("First.", "Second.", reasoning="Thinking it over"),
    )
    refusal = client.responses.create(model="gpt-4o", input="x")
    assert refusal.output[0].model_dump(exclude_unset=True)["content"] == [
        {"type": "refusal", "refusal": "I can't help with that."}
    ]
    incomplete = client.responses.create(model="gpt-4o", input="x")
    assert (incomplete.status, incomplete.output_text) == ("incomplete", "Partial")
    assert incomplete.incomplete_details is not None and incomplete.incomplete_details.reason == "content_filter"
    failed = client.responses.create(model="gpt-4o", input="x")
    assert failed.status == "failed" and failed.output == [] and failed.usage is None
    assert failed.error is not None and failed.error.model_dump(exclude_unset=True) == {
        "code": "server_error",
        "message": "boom",
    }
    reasoned = client.responses.create(model="gpt-5", input="x")
    assert [item.type for item in reasoned.output] == ["reasoning", "message", "message"]
    assert reasoned.output[0].model_dump(exclude_unset=True) == {
        "id": "rs_0011",
        "type": "reasoning",
        "summary": [{"type": "summary_text", "text": "Thinking it over"}],
    }
    assert reasoned.usage is not None and reasoned.usage.output_tokens_details.reasoning_tokens == 3


def test_http_failure_turn(client: openai.OpenAI, emulator: Emulator) -> None:
    emulator.queue(Turn.failure(code="server_error", message="Upstream down", http_status=500))
    with pytest.raises(openai.InternalServerError) as caught:
        client.responses.create(model="gpt-4o", input="x")
    assert caught.value.body == {
        "message": "Upstream down",
        "type": "server_error",
        "param": None,
        "code": "server_error",
    }


def test_retrieve_delete_and_store_false(client: openai.OpenAI) -> None:
    response = client.responses.create(model="gpt-4o", input="Hi")
    assert client.responses.retrieve(response.id) == response
    deleted = client.responses.with_raw_response.delete(response.id).http_response.json()
    assert deleted == {"id": response.id, "object": "response.deleted", "deleted": True}
    with pytest.raises(openai.NotFoundError) as caught:
        client.responses.retrieve(response.id)
    assert caught.value.body == {
        "message": f"Response with id '{response.id}' not found.",
        "type": "invalid_request_error",
        "param": None,
        "code": None,
    }
    unstored = client.responses.create(model="gpt-4o", input="Hi", store=False)
    assert unstored.store is False
    with pytest.raises(openai.NotFoundError) as missing:
        client.responses.retrieve(unstored.id)
    assert missing.value.status_code == 404
    assert missing.value.body == {
        "message": f"Response with id '{unstored.id}' not found.",
        "type": "invalid_request_error",
        "param": None,
        "code": None,
    }


def _error(caught: pytest.ExceptionInfo[openai.APIStatusError]) -> Any:
    return caught.value.body


def test_validation_errors(client: openai.OpenAI) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        client.responses.create(model="gpt-4o", input="x", temperature=-1)
    assert _error(caught) == {
        "message": "Invalid 'temperature': decimal below minimum value. Expected a value >= 0, but got -1 instead.",
        "type": "invalid_request_error",
        "param": "temperature",
        "code": "decimal_below_min_value",
    }
    with pytest.raises(openai.BadRequestError) as caught:
        client.post("/responses", body={"input": "x"}, cast_to=object)
    assert _error(caught) == {
        "message": "Missing required parameter: 'model'.",
        "type": "invalid_request_error",
        "param": "model",
        "code": "missing_required_parameter",
    }
    tool_without_strict = {k: v for k, v in WEATHER_TOOL.items() if k != "strict"}
    echoed = client.post(
        "/responses", body={"model": "m", "input": "x", "tools": [tool_without_strict]}, cast_to=object
    )
    assert echoed["tools"][0]["strict"] is True  # type: ignore[index]
    with pytest.raises(openai.BadRequestError) as caught:
        client.responses.create(model="m", input="x", tools=[{**WEATHER_TOOL, "strict": True}])
    assert _error(caught) == {
        "message": "Invalid schema for function 'get_weather_at_location': In context=(), 'additionalProperties' "
        "is required to be supplied and to be false.",
        "type": "invalid_request_error",
        "param": "tools[0].parameters",
        "code": "invalid_function_parameters",
    }
    with pytest.raises(openai.BadRequestError) as caught:
        client.responses.create(model="m", input="x", metadata={f"k{i}": "v" for i in range(17)})
    assert caught.value.code == "object_above_max_properties"


def test_conversation_and_previous_response_are_exclusive(client: openai.OpenAI) -> None:
    conversation = client.conversations.create()
    first = client.responses.create(model="gpt-4o", input="Hi")
    with pytest.raises(openai.BadRequestError) as caught:
        client.responses.create(model="gpt-4o", input="x", conversation=conversation.id, previous_response_id=first.id)
    assert caught.value.code == "mutually_exclusive_parameters"
    with pytest.raises(openai.NotFoundError) as missing:
        client.responses.create(model="gpt-4o", input="x", conversation="conv_missing")
    assert missing.value.message.endswith("Conversation with id 'conv_missing' not found.")
    with pytest.raises(openai.BadRequestError) as gone:
        client.responses.create(model="gpt-4o", input="x", previous_response_id="resp_missing")
    assert _error(gone) == {
        "message": "Previous response with id 'resp_missing' not found.",
        "type": "invalid_request_error",
        "param": "previous_response_id",
        "code": "previous_response_not_found",
    }


def test_dangling_function_call_poisons_the_conversation(client: openai.OpenAI, emulator: Emulator) -> None:
    conversation = client.conversations.create()
    emulator.queue(Turn.function_calls(("get_weather_at_location", {"location": "Oslo"}, "call_X")))
    client.responses.create(model="gpt-4o", input="Weather?", conversation=conversation.id, tools=[WEATHER_TOOL])
    with pytest.raises(openai.BadRequestError) as caught:
        client.responses.create(model="gpt-4o", input="Never mind", conversation=conversation.id)
    assert _error(caught) == {
        "message": "No tool output found for function call call_X.",
        "type": "invalid_request_error",
        "param": "input",
        "code": None,
    }
    client.conversations.items.create(
        conversation.id, items=[{"type": "function_call_output", "call_id": "call_X", "output": "cancelled"}]
    )
    recovered = client.responses.create(model="gpt-4o", input="Never mind", conversation=conversation.id)
    assert recovered.status == "completed"


def test_orphan_function_call_output(client: openai.OpenAI) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        client.responses.create(
            model="gpt-4o", input=[{"type": "function_call_output", "call_id": "call_nope", "output": "1"}]
        )
    assert _error(caught) == {
        "message": "No tool call found for function call output with call_id call_nope.",
        "type": "invalid_request_error",
        "param": "input",
        "code": None,
    }


def test_model_not_found_and_api_key() -> None:
    import httpx2

    from compat.emulator import EmulatorTransport

    emulator = Emulator(models={"gpt-4o"}, api_key="sk-right-key-12345")
    http = httpx2.Client(transport=EmulatorTransport(emulator))
    wrong = openai.OpenAI(api_key="invalid-api-key-12345", base_url="http://e/v1", http_client=http, max_retries=0)
    with pytest.raises(openai.AuthenticationError) as caught:
        wrong.responses.create(model="gpt-4o", input="x")
    assert caught.value.code == "invalid_api_key"
    assert caught.value.message.startswith("Error code: 401 - ")
    right = openai.OpenAI(api_key="sk-right-key-12345", base_url="http://e/v1", http_client=http, max_retries=0)
    with pytest.raises(openai.BadRequestError) as missing:
        right.responses.create(model="this-model-does-not-exist-12345", input="x")
    assert _error(missing) == {
        "message": "The requested model 'this-model-does-not-exist-12345' does not exist.",
        "type": "invalid_request_error",
        "param": "model",
        "code": "model_not_found",
    }


def test_unknown_route(client: openai.OpenAI) -> None:
    with pytest.raises(openai.NotFoundError) as caught:
        client.get("/assistants", cast_to=object)
    assert caught.value.body == {
        "message": "Invalid URL (GET /v1/assistants)",
        "type": "invalid_request_error",
        "param": None,
        "code": None,
    }


def test_concurrent_requests_are_serialised_per_conversation(client: openai.OpenAI, emulator: Emulator) -> None:
    conversation = client.conversations.create()
    emulator.queue(Turn.text("one two three four five"))
    stream = client.responses.create(model="gpt-4o", input="Hi", conversation=conversation.id, stream=True)
    events = iter(stream)
    assert next(events).type == "response.created"
    locked = {
        "message": "Another process is currently operating on this conversation. Please retry in a few seconds.",
        "type": "invalid_request_error",
        "param": None,
        "code": "conversation_locked",
    }
    with pytest.raises(openai.BadRequestError) as caught:
        client.responses.create(model="gpt-4o", input="again", conversation=conversation.id)
    assert _error(caught) == locked
    with pytest.raises(openai.BadRequestError) as adding:
        client.conversations.items.create(conversation.id, items=[{"role": "user", "content": "x"}])
    assert adding.value.status_code == 400
    assert _error(adding) == locked
    assert [event.type for event in events][-1] == "response.completed"
    assert client.responses.create(model="gpt-4o", input="again", conversation=conversation.id).status == "completed"


def test_thread_safety(client: openai.OpenAI, emulator: Emulator) -> None:
    conversations = [client.conversations.create().id for _ in range(8)]
    errors: list[BaseException] = []

    def run(conversation_id: str) -> None:
        try:
            for _ in range(5):
                client.responses.create(model="gpt-4o", input="Hi", conversation=conversation_id)
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(conversation_id,)) for conversation_id in conversations]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert {len(emulator.conversation_items(c)) for c in conversations} == {10}
