import pytest

from bot.bridge import security
from bot.bridge.errors import ConfigError
from bot.bridge.settings import Settings

SECRET = "s" * 40


def test_defaults() -> None:
    settings = Settings.from_env({"CALOR_SECRET_KEY": SECRET})
    assert (settings.host, settings.port, settings.rasa_port, settings.actions_port) == (
        "127.0.0.1", 8080, 5005, 5055)
    assert settings.rasa_url == "http://127.0.0.1:5005"
    assert settings.database_url.startswith("sqlite+aiosqlite:///")
    assert "http://127.0.0.1:8080" in settings.allowed_origins
    assert settings.redis_url is None
    assert settings.rasa_urls == ("http://127.0.0.1:5005",)


def test_a_cluster_names_redis_and_every_rasa() -> None:
    settings = Settings.from_env({"CALOR_SECRET_KEY": SECRET, "CALOR_REDIS_URL": "redis://10.0.0.5:6379/0",
                                  "CALOR_RASA_URLS": "http://10.0.0.7:5005/, http://10.0.0.8:5005"})
    assert settings.redis_url == "redis://10.0.0.5:6379/0"
    assert settings.rasa_urls == ("http://10.0.0.7:5005", "http://10.0.0.8:5005")
    assert settings.rasa_url == "http://10.0.0.7:5005"


@pytest.mark.parametrize(
    ("env", "name"),
    [
        ({}, "CALOR_SECRET_KEY"),
        ({"CALOR_SECRET_KEY": "short"}, "CALOR_SECRET_KEY"),
        ({"CALOR_SECRET_KEY": SECRET, "CALOR_PORT": "eighty"}, "CALOR_PORT"),
        ({"CALOR_SECRET_KEY": SECRET, "CALOR_PORT": "70000"}, "CALOR_PORT"),
        ({"CALOR_SECRET_KEY": SECRET, "CALOR_RASA_PORT": ""}, "CALOR_RASA_PORT"),
        ({"CALOR_SECRET_KEY": SECRET, "CALOR_HOST": "my host"}, "CALOR_HOST"),
        ({"CALOR_SECRET_KEY": SECRET, "CALOR_DATABASE_URL": "mysql://x"}, "CALOR_DATABASE_URL"),
        ({"CALOR_SECRET_KEY": SECRET, "CALOR_DATABASE_URL": "calor.db"}, "CALOR_DATABASE_URL"),
        ({"CALOR_SECRET_KEY": SECRET, "CALOR_ALLOWED_ORIGINS": "example.com"}, "CALOR_ALLOWED_ORIGINS"),
        ({"CALOR_SECRET_KEY": SECRET, "CALOR_RASA_TIMEOUT": "soon"}, "CALOR_RASA_TIMEOUT"),
        ({"CALOR_SECRET_KEY": SECRET, "CALOR_REDIS_URL": ""}, "CALOR_REDIS_URL"),
        ({"CALOR_SECRET_KEY": SECRET, "CALOR_REDIS_URL": "localhost:6379"}, "CALOR_REDIS_URL"),
        ({"CALOR_SECRET_KEY": SECRET, "CALOR_RASA_URLS": "127.0.0.1:5005"}, "CALOR_RASA_URLS"),
        ({"CALOR_SECRET_KEY": SECRET, "CALOR_RASA_URLS": "http://a:1,http://a:1"}, "CALOR_RASA_URLS"),
    ],
)
def test_bad_values_fail_with_their_name(env: dict[str, str], name: str) -> None:
    with pytest.raises(ConfigError) as info:
        Settings.from_env(env)
    assert info.value.name == name
    assert str(info.value).startswith(name + ":")


def test_postgres_urls_get_the_async_driver() -> None:
    settings = Settings.from_env({"CALOR_SECRET_KEY": SECRET,
                                  "CALOR_DATABASE_URL": "postgresql://u:p@127.0.0.1/calor"})
    assert settings.database_url == "postgresql+asyncpg://u:p@127.0.0.1/calor"


def test_conversation_ids_are_128_bit_and_unique() -> None:
    ids = {security.new_conversation_id() for _ in range(1000)}
    assert len(ids) == 1000
    assert all(len(i) == 32 and int(i, 16) >= 0 for i in ids)


def test_customer_tokens_are_bound_to_one_conversation() -> None:
    token = security.customer_token(SECRET, "abc")
    assert security.conversation_of(SECRET, token) == "abc"
    assert security.conversation_of("x" * 40, token) is None
    forged = "other." + token.partition(".")[2]
    assert security.conversation_of(SECRET, forged) is None
    assert security.conversation_of(SECRET, "abc") is None
    assert security.conversation_of(SECRET, token + "x") is None


def test_passwords_are_hashed_and_verified() -> None:
    hashed = security.hash_password("correct horse")
    assert "correct horse" not in hashed
    assert hashed.startswith("$argon2id$")
    assert security.verify_password(hashed, "correct horse")
    assert not security.verify_password(hashed, "wrong horse")
    assert not security.verify_password("not a hash", "correct horse")
    assert security.token_digest("t") != "t"
