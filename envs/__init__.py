"""Bodies and worlds: Gymnasium environments of the brainlike suite.

``import brainlike.envs`` registers every body under the ``brainlike/`` namespace.
"""

from gymnasium.envs.registration import register, registry

from brainlike.envs.contract import Layout, StateVar, check_arguments
from brainlike.envs.core import Body, BodyEnv, BodyVectorEnv, layout_of
from brainlike.envs.foraging_mouse import ForagingMouseEnv, ForagingMouseVectorEnv, MouseBody
from brainlike.envs.salt_rat import RatBody, SaltRatEnv, SaltRatVectorEnv
from brainlike.envs.songbird_tutor import SongbirdBody, SongbirdTutorEnv, SongbirdTutorVectorEnv

# id -> (single entry point, vector entry point, max_episode_steps)
BODIES = {
    "ForagingMouse": ("brainlike.envs.foraging_mouse:ForagingMouseEnv", "brainlike.envs.foraging_mouse:ForagingMouseVectorEnv", 500),
    "SaltRat": ("brainlike.envs.salt_rat:SaltRatEnv", "brainlike.envs.salt_rat:SaltRatVectorEnv", 600),
    "SongbirdTutor": ("brainlike.envs.songbird_tutor:SongbirdTutorEnv", "brainlike.envs.songbird_tutor:SongbirdTutorVectorEnv", 100),
    "Eyeblink": ("brainlike.envs.eyeblink:EyeblinkEnv", "brainlike.envs.eyeblink:EyeblinkVectorEnv", 1_000_000),
    "BarnOwl": ("brainlike.envs.barn_owl:BarnOwlEnv", "brainlike.envs.barn_owl:BarnOwlVectorEnv", 200),
    "ResidentIntruder": ("brainlike.envs.resident_intruder:ResidentIntruderEnv", "brainlike.envs.resident_intruder:ResidentIntruderVectorEnv", 1000),
}


def _register_all() -> None:
    for name, (entry, vector_entry, steps) in BODIES.items():
        for suffix, kwargs in (("", {}), ("Flat", {"observation_mode": "flat"})):
            env_id = f"brainlike/{name}{suffix}-v0"
            if env_id in registry:
                continue
            register(
                id=env_id,
                entry_point=entry,
                vector_entry_point=vector_entry,
                max_episode_steps=steps,
                kwargs=kwargs,
            )


_register_all()

ENV_IDS = tuple(sorted(k for k in registry if k.startswith("brainlike/")))

__all__ = ["BODIES", "ENV_IDS", "Body", "BodyEnv", "BodyVectorEnv", "Layout", "StateVar", "check_arguments", "layout_of", "ForagingMouseEnv", "ForagingMouseVectorEnv", "MouseBody", "RatBody", "SaltRatEnv", "SaltRatVectorEnv", "SongbirdBody", "SongbirdTutorEnv", "SongbirdTutorVectorEnv"]
