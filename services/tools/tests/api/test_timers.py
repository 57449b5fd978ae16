from __future__ import annotations

import httpx
import pytest

NEW = {"session_id": "s1", "label": "pasta", "duration_seconds": 480}
FIELDS = {"id", "session_id", "label", "duration_seconds", "ends_at", "status", "remaining_seconds"}


async def test_the_documented_lifecycle(client: httpx.AsyncClient) -> None:
    created = await client.post("/timers", json=NEW)
    assert created.status_code == 201
    timer = created.json()
    assert FIELDS <= set(timer)
    assert {k: timer[k] for k in NEW} == NEW and timer["status"] == "running"

    listed = (await client.get("/timers", params={"session_id": "s1"})).json()["timers"]
    assert [t["id"] for t in listed] == [timer["id"]]
    assert 470 < listed[0]["remaining_seconds"] <= 480

    paused = (await client.post(f"/timers/{timer['id']}/pause")).json()
    assert paused["status"] == "paused" and paused["ends_at"] is None
    resumed = (await client.post(f"/timers/{timer['id']}/resume")).json()
    assert resumed["status"] == "running" and resumed["ends_at"] is not None

    cancelled = await client.delete(f"/timers/{timer['id']}")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    fetched = await client.get(f"/timers/{timer['id']}")
    assert fetched.json()["status"] == "cancelled"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({**NEW, "duration_seconds": 0}, "out of range"),
        ({**NEW, "duration_seconds": 86401}, "out of range"),
        ({**NEW, "duration_seconds": "8 minutes"}, "'duration_seconds'"),
        ({**NEW, "duration_seconds": 1.5}, "'duration_seconds'"),
        ({**NEW, "label": "x" * 81}, "keep it to 80"),
        ({**NEW, "session_id": "s1:evil key"}, "'session_id'"),
        ({"label": "pasta", "duration_seconds": 60}, "'session_id' is missing"),
    ],
)
async def test_bad_timers_are_422(
    client: httpx.AsyncClient, body: dict[str, object], message: str
) -> None:
    response = await client.post("/timers", json=body)
    assert response.status_code == 422
    assert message in response.json()["detail"]


async def test_unknown_and_conflicting_timers(client: httpx.AsyncClient) -> None:
    assert (await client.get("/timers/" + "a" * 32)).status_code == 404
    assert (await client.delete("/timers/nonsense")).status_code == 404
    timer = (await client.post("/timers", json=NEW)).json()
    resumed = await client.post(f"/timers/{timer['id']}/resume")
    assert resumed.status_code == 409 and "only a paused timer" in resumed.json()["detail"]
    listed = await client.get("/timers")
    assert listed.status_code == 422 and "'session_id' is missing" in listed.json()["detail"]


async def test_too_many_timers_is_409(client: httpx.AsyncClient) -> None:
    for _ in range(20):
        assert (await client.post("/timers", json=NEW)).status_code == 201
    response = await client.post("/timers", json=NEW)
    assert response.status_code == 409 and "cancel one" in response.json()["detail"]
