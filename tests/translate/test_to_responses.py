"""Legacy run settings → ``responses.create`` parameters: tools."""

from __future__ import annotations

from openai.types.beta import FileSearchTool

from compat.translate.to_responses import tool_to_response_tool


def test_file_search_keeps_its_result_count_and_ranking_options() -> None:
    tool = FileSearchTool.model_validate(
        {
            "type": "file_search",
            "file_search": {"max_num_results": 7, "ranking_options": {"ranker": "auto", "score_threshold": 0.5}},
        }
    )
    resources = [{"file_search": {"vector_store_ids": ["vs_a"]}}, None, {"file_search": {"vector_store_ids": ["vs_b"]}}]
    assert tool_to_response_tool(tool, tool_resources=resources) == {
        "type": "file_search",
        "vector_store_ids": ["vs_a", "vs_b"],
        "max_num_results": 7,
        "ranking_options": {"ranker": "auto", "score_threshold": 0.5},
    }


def test_file_search_without_settings_sends_only_its_stores() -> None:
    tool = FileSearchTool.model_validate({"type": "file_search"})
    assert tool_to_response_tool(tool, tool_resources=[]) == {"type": "file_search", "vector_store_ids": []}
