"""The Steering Subsystem: innate rewards, reflexes and a few innate adjustable parameters.

Pure numpy, batched over a leading body axis. Imports nothing from ``envs`` or
``agents``: steering reads the body and its senses, never a learner's state.
"""

from brainlike.steering.base import NO_REFLEX, Reflex, RewardLesion, Steering, SteeringOutput
from brainlike.steering.homeostat import Homeostat
from brainlike.steering.mouse import LoomingReflex, MouseSteering
from brainlike.steering.owl import OwlSteering
from brainlike.steering.parameters import InnateParameters
from brainlike.steering.rat import RatSteering
from brainlike.steering.songbird import SongbirdSteering

__all__ = [
    "NO_REFLEX",
    "Homeostat",
    "InnateParameters",
    "LoomingReflex",
    "MouseSteering",
    "OwlSteering",
    "RatSteering",
    "Reflex",
    "RewardLesion",
    "SongbirdSteering",
    "Steering",
    "SteeringOutput",
]
