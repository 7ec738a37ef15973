"""The Steering Subsystem: innate rewards, reflexes and a few innate adjustable parameters.

Pure numpy, batched over a leading body axis. Imports nothing from ``envs`` or
``agents``: steering reads the body and its senses, never a learner's state.
"""

from steering.base import NO_REFLEX, Reflex, RewardLesion, Steering, SteeringOutput
from steering.homeostat import Homeostat
from steering.mouse import LoomingReflex, MouseSteering
from steering.parameters import InnateParameters
from steering.rat import RatSteering
from steering.songbird import SongbirdSteering

__all__ = [
    "NO_REFLEX",
    "Homeostat",
    "InnateParameters",
    "LoomingReflex",
    "MouseSteering",
    "RatSteering",
    "Reflex",
    "RewardLesion",
    "SongbirdSteering",
    "Steering",
    "SteeringOutput",
]
