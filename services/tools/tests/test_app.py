from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from sous_tools.app import create_app
from sous_tools.config import Settings
from sous_tools.data_files import DataFileError

PATHS = {
    "/health", "/convert", "/nutrition/lookup", "/recipes/search", "/recipes/{recipe_id}",
    "/timers", "/timers/{timer_id}", "/timers/{timer_id}/pause", "/timers/{timer_id}/resume",
}  # fmt: skip


async def test_openapi_documents_every_endpoint_with_examples(client: httpx.AsyncClient) -> None:
    docs = await client.get("/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()
    schema = (await client.get("/openapi.json")).json()
    assert PATHS <= set(schema["paths"])
    convert = schema["components"]["schemas"]["ConvertRequest"]
    assert convert["examples"][0]["from_unit"] == "cup"


def test_broken_data_files_stop_startup_with_the_file_named(
    tmp_path: Path, data_settings: Settings
) -> None:
    for name in ("recipes.json", "foods.json", "densities.json"):
        (tmp_path / name).write_bytes((data_settings.data_dir / name).read_bytes())
    (tmp_path / "foods.json").write_text(json.dumps([{"name": "egg"}]))
    with pytest.raises(DataFileError, match=r"foods\.json"):
        create_app(data_settings.model_copy(update={"data_dir": tmp_path}))
    (tmp_path / "foods.json").unlink()
    with pytest.raises(DataFileError, match=r"foods\.json"):
        create_app(data_settings.model_copy(update={"data_dir": tmp_path}))
