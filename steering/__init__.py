"""The Steering Subsystem: innate rewards, reflexes and a few innate adjustable parameters.

Pure numpy, batched over a leading body axis. Imports nothing from ``envs`` or
``agents``: steering reads the body and its senses, never a learner's state.
"""

from brainlike.steering.base import NO_REFLEX, Reflex, ReflexTakeover, RewardLesion, Steering, SteeringOutput
from brainlike.steering.eyelid import BlinkReflex, EyelidSteering
from brainlike.steering.homeostat import Homeostat
from brainlike.steering.mouse import LoomingReason, LoomingReflex, MouseAction, MouseEvents, MouseSenses, MouseSteering
from brainlike.steering.owl import OwlEvents, OwlSenses, OwlSteering
from brainlike.steering.parameters import InnateParameters
from brainlike.steering.rat import RatAction, RatEvents, RatSteering
from brainlike.steering.songbird import SongbirdSteering, SongEvents, SyrinxMotor

__all__ = [
    "NO_REFLEX",
    "Homeostat",
    "InnateParameters",
    "LoomingReason",
    "LoomingReflex",
    "MouseAction",
    "MouseEvents",
    "MouseSenses",
    "MouseSteering",
    "OwlEvents",
    "OwlSenses",
    "OwlSteering",
    "RatAction",
    "RatEvents",
    "RatSteering",
    "Reflex",
    "ReflexTakeover",
    "RewardLesion",
    "SongEvents",
    "SongbirdSteering",
    "Steering",
    "SteeringOutput",
    "SyrinxMotor",
]
