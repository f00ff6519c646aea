"""MiniLMFeaturizer: dense sentence features for DIETClassifier.

Sparse n-gram features only know words seen in training; a MiniLM sentence
embedding places "my broadband's down" near "internet not working" even
if nobody wrote it. Only the sentence-level feature is added: DIET keeps its
sparse sequence features and concatenates this vector to the sentence ones.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent  # type: ignore[import-untyped]
from rasa.engine.recipes.default_recipe import DefaultV1Recipe  # type: ignore[import-untyped]
from rasa.engine.storage.resource import Resource  # type: ignore[import-untyped]
from rasa.engine.storage.storage import ModelStorage  # type: ignore[import-untyped]
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, TEXT  # type: ignore[import-untyped]
from rasa.shared.nlu.training_data.features import Features  # type: ignore[import-untyped]
from rasa.shared.nlu.training_data.message import Message  # type: ignore[import-untyped]
from rasa.shared.nlu.training_data.training_data import TrainingData  # type: ignore[import-untyped]

from bot.nlu.encoder import cached_encode


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class MiniLMFeaturizer(GraphComponent):  # type: ignore[misc]  # Rasa ships no type information
    """Adds the 384-dim all-MiniLM-L6-v2 sentence embedding of the text."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """``alias``: the feature origin name DIET sees."""
        return {"alias": "MiniLMFeaturizer"}

    def __init__(self, config: dict[str, Any]) -> None:
        """Keep the origin name."""
        self._origin = str(config.get("alias") or "MiniLMFeaturizer")

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> MiniLMFeaturizer:
        """Create the featurizer (the model ships with the environment)."""
        return cls(config)

    def _featurize(self, message: Message) -> None:
        text = message.get(TEXT)
        if not isinstance(text, str):
            return
        vector = np.array(cached_encode(text), dtype=np.float32).reshape(1, -1)
        message.add_features(Features(vector, FEATURE_TYPE_SENTENCE, TEXT, self._origin))

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Featurize every training example that has text."""
        for message in training_data.training_examples:
            self._featurize(message)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        """Featurize incoming messages."""
        for message in messages:
            self._featurize(message)
        return messages
