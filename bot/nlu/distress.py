"""Rasa 3.6 graph components: DistressDetector and DistressRouter.

Pipeline placement (bot/config.yml): the detector after the featurizers and
before DIETClassifier, the router last, after FallbackClassifier.

``DistressDetector`` sets ``message.data["distress"]`` (see
:class:`bot.nlu.detector.Distress`) and adds the entities
``distress_category`` (when not none), ``distress_cue`` and
``distress_subject`` (when found), so slots with from_entity mappings fill.

``DistressRouter`` rewrites the intent: crisis → ``crisis`` (confidence 1),
a message that asks for a check-in (``distress["check_in"]``, whatever its
category) → ``check_in``, grief/overwhelm/loneliness → ``share_distress``,
keeping a routine intent in ``distress["task_intent"]`` and a ``task_intent``
entity. A request for a person is never rewritten into a check-in: it is
answered with a person at once.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent  # type: ignore[import-untyped]
from rasa.engine.recipes.default_recipe import DefaultV1Recipe  # type: ignore[import-untyped]
from rasa.engine.storage.resource import Resource  # type: ignore[import-untyped]
from rasa.engine.storage.storage import ModelStorage  # type: ignore[import-untyped]
from rasa.shared.nlu.constants import (  # type: ignore[import-untyped]
    ENTITIES,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    METADATA,
    METADATA_EXAMPLE,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message  # type: ignore[import-untyped]
from rasa.shared.nlu.training_data.training_data import TrainingData  # type: ignore[import-untyped]

from bot.nlu import data
from bot.nlu.detector import Distress, DistressModel

logger = logging.getLogger(__name__)

DISTRESS_KEY = "distress"
# Bump when the detector's code changes in a way that needs retraining.
_VERSION = "14"


def _entity(name: str, value: str, text: str, span: str | None, confidence: float) -> dict[str, Any]:
    start = text.find(span) if span else -1
    start, end = (start, start + len(span)) if span and start >= 0 else (0, len(text))
    return {"entity": name, "value": value, "start": start, "end": end,
            "confidence_entity": confidence, "extractor": "DistressDetector"}


def _label(message: Message) -> str | None:
    metadata = message.get(METADATA) or {}
    example_meta = metadata.get(METADATA_EXAMPLE) if isinstance(metadata, dict) else None
    return data.label_from_nlu(message.get(INTENT), example_meta or metadata)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=True)
class DistressDetector(GraphComponent):  # type: ignore[misc]  # Rasa ships no type information
    """Detects grief, overwhelm, loneliness and crisis, separately from the intent."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """``data_path``: the labelled examples, relative to where Rasa runs."""
        return {"data_path": "data/distress"}

    def __init__(self, config: dict[str, Any], storage: ModelStorage, resource: Resource,
                 model: DistressModel | None = None) -> None:
        """Keep the config, where to persist, and the trained model if any."""
        self._config = config
        self._storage = storage
        self._resource = resource
        self._model = model

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> DistressDetector:
        """Create an untrained detector (Rasa calls this before training)."""
        return cls(config, model_storage, resource)

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        """Changing the labelled files (which Rasa does not track) retrains."""
        path = Path(config.get("data_path", "data/distress"))
        return f"{_VERSION}:{data.fingerprint(path)}" if path.exists() else _VERSION

    def train(self, training_data: TrainingData) -> Resource:
        """Train on data/distress plus the NLU examples as routine ones."""
        path = Path(self._config["data_path"])
        if not path.exists():
            raise FileNotFoundError(f"no distress data at {path.resolve()}; run Rasa from the repo root")
        examples = data.load_examples(path)
        for message in training_data.intent_examples:
            label = _label(message)
            if label is not None and message.get(TEXT):
                examples.append((str(message.get(TEXT)), label))
        self._model = DistressModel.train(data.dedupe(examples))
        with self._storage.write_to(self._resource) as directory:
            self._model.save(directory)
        return self._resource

    @classmethod
    def load(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> DistressDetector:
        """Load the trained detector; untrained (inactive) if nothing was stored."""
        try:
            with model_storage.read_from(resource) as directory:
                return cls(config, model_storage, resource, DistressModel.load(directory))
        except (ValueError, FileNotFoundError):
            logger.warning("DistressDetector has no trained model; it will mark nothing")
            return cls(config, model_storage, resource)

    def process(self, messages: list[Message]) -> list[Message]:
        """Set ``distress`` and the distress entities on each message."""
        for message in messages:
            text = str(message.get(TEXT) or "")
            result = (self._model.predict(text) if self._model
                      else Distress(category="none", confidence=0.0, cue=None, subject=None,
                                    check_in=None))
            message.set(DISTRESS_KEY, dict(result), add_to_output=True)
            entities = list(message.get(ENTITIES) or [])
            conf = result["confidence"]
            if result["category"] != "none":
                entities.append(_entity("distress_category", result["category"], text, result["cue"], conf))
            if result["cue"]:
                entities.append(_entity("distress_cue", result["cue"], text, result["cue"], conf))
            if result["subject"]:
                entities.append(_entity("distress_subject", result["subject"], text, result["cue"], conf))
            if result["check_in"]:
                entities.append(_entity("distress_check_in", result["check_in"], text,
                                        result["check_in"], conf))
            message.set(ENTITIES, entities, add_to_output=True)
            logger.debug("distress category=%s confidence=%.3f", result["category"], conf)
        return messages


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class DistressRouter(GraphComponent):  # type: ignore[misc]  # Rasa ships no type information
    """Turns the detector's verdict into the intent the dialogue acts on."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """Intents that are not a task to resume, and those that ask for a person."""
        return {"non_task_intents": ["greet", "goodbye", "thank", "affirm", "deny", "stop", "inform",
                                     "bot_challenge", "out_of_scope", "nlu_fallback", "share_distress",
                                     "crisis", "check_in"],
                "person_intents": ["request_human"]}

    def __init__(self, config: dict[str, Any]) -> None:
        """Keep the lists of non-task and person intents."""
        self._non_task = frozenset(config["non_task_intents"])
        self._person = frozenset(config["person_intents"])

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> DistressRouter:
        """Create the router (nothing to train)."""
        return cls(config)

    def process(self, messages: list[Message]) -> list[Message]:
        """Rewrite intent and ranking of distressed messages."""
        for message in messages:
            distress = message.get(DISTRESS_KEY)
            if not isinstance(distress, dict):
                continue
            original = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
            crisis = distress.get("category") == "crisis"
            check_in = not crisis and bool(distress.get("check_in")) and original not in self._person
            if distress.get("category", "none") == "none" and not check_in:
                continue
            new_intent = "crisis" if crisis else "check_in" if check_in else "share_distress"
            confidence = 1.0 if crisis or check_in else float(distress.get("confidence", 1.0))
            if not crisis and original and original not in self._non_task:
                distress = {**distress, "task_intent": original}
                message.set(DISTRESS_KEY, distress, add_to_output=True)
                text = str(message.get(TEXT) or "")
                entities = list(message.get(ENTITIES) or [])
                entities.append({"entity": "task_intent", "value": original, "start": 0, "end": len(text),
                                 "confidence_entity": 1.0, "extractor": "DistressRouter"})
                message.set(ENTITIES, entities, add_to_output=True)
            ranking = [r for r in (message.get(INTENT_RANKING_KEY) or [])
                       if r.get(INTENT_NAME_KEY) != new_intent]
            top = {INTENT_NAME_KEY: new_intent, PREDICTED_CONFIDENCE_KEY: confidence}
            message.set(INTENT, top, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [top, *ranking], add_to_output=True)
        return messages
