from __future__ import annotations

import httpx
import pytest

from sous_tools.errors import did_you_mean, validation_message


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"quantity": 2,', "not valid JSON"),
        (b"quantity=2", "not valid JSON"),
        (b"[1, 2]", "must be a JSON object"),
        (b'"cup"', "must be a JSON object"),
        (b'{"quantity": NaN, "from_unit": "cup", "to_unit": "ml"}', "'quantity'"),
    ],
)
async def test_malformed_bodies_are_422_in_plain_words(
    client: httpx.AsyncClient, content: bytes, message: str
) -> None:
    response = await client.post(
        "/convert", content=content, headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert message in response.json()["detail"]


def test_validation_message_names_field_value_and_problem() -> None:
    errors = [
        {"type": "float_type", "loc": ("body", "quantity"), "msg": "Input should be a valid "
         "number", "input": "x" * 100},
        {"type": "missing", "loc": ("query", "session_id"), "msg": "Field required"},
    ]  # fmt: skip
    message = validation_message(errors)
    assert message.startswith("'quantity': input should be a valid number (you sent 'xxx")
    assert "...)" in message  # long inputs are cut short
    assert message.endswith("'session_id' is missing; add it.")


def test_did_you_mean() -> None:
    assert did_you_mean([]) == ""
    assert did_you_mean(["cup"]) == ' Did you mean "cup"?'
    assert did_you_mean(["a", "b", "c"]) == ' Did you mean "a", "b" or "c"?'
