"""The rat's Steering Subsystem: a sodium homeostat, state-dependent taste valence, salt-appetite sensitization.

Papers: Robinson & Berridge 2013 (a cue for intense salt, learned as repulsive,
becomes attractive on the first cue-only trial after the first-ever sodium
depletion); Zhang, Berridge, Tindell, Smith & Aldridge 2009 (incentive value =
learned prediction re-evaluated by the physiological factor kappa); Keramati &
Gutkin 2014 (drive-reduction reward); Sakai et al. 1987 and Leshem et al. 2004
(salt appetite sensitizes across depletions, incrementally or all at once).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from brainlike.steering.base import ReflexTakeover, Steering, SteeringOutput, check_names
from brainlike.steering.homeostat import Homeostat
from brainlike.steering.parameters import InnateParameters

KAPPA_FORMS = ("additive", "multiplicative")
STRAINS = ("incremental", "full")


@dataclass(frozen=True, slots=True)
class RatEvents:
    """What reached the rat's tongue this step, and its sodium, for ``RatSteering.evaluate``."""

    sweet: np.ndarray  # units of sucrose tasted
    salt: np.ndarray  # units of NaCl tasted
    interoception: np.ndarray  # (bodies, d): the body's interoceptive vector before ingestion; column 0 is sodium
    sodium_after: np.ndarray  # sodium after ingestion


class RatSteering(Steering[None, RatEvents]):
    """Sweet and intense-salt taste, valued under the body's sodium state.

    Innate signals (``signal_names``): ``sweet`` and ``salt``, the amounts of
    sucrose and of NaCl that reach the tongue, in units of one oral infusion.

    Taste valence. Each taste has an innate, state-free value ``r``: sucrose
    ``sweet_value`` per unit (appetitive), intense (Dead Sea) salt
    ``-salt_aversion`` per unit (repulsive). The sodium state enters through
    Zhang et al.'s physiological factor kappa, with

        log kappa = salt_appetite x need_gain x (D(Na) - D(Na + sodium_per_unit x salt)),

    the drive reduction (Keramati & Gutkin 2014) the tasted sodium would bring
    under a sodium ``Homeostat`` (set point ``sodium_set_point``, n=2, m=1),
    scaled by the innate adjustable ``salt_appetite``. When replete, salt only
    overshoots the set point, so log kappa <= 0; when depleted it is large and
    positive. Sucrose has kappa = 1 in every sodium state.

    ``kappa_form="additive"``: r~ = r + log kappa. ``"multiplicative"``:
    r~ = kappa x r. Why only the additive form can flip a learned negative
    value: kappa = exp(log kappa) is positive, so kappa x r always keeps the
    sign of r; a repulsive salt stays repulsive (it is merely scaled, and in
    fact grows *more* repulsive when depletion makes kappa > 1). Adding log
    kappa moves the value by an amount independent of r's sign, so a large
    enough sodium need carries a negative r above zero: the instant
    transformation of Robinson & Berridge 2013 needs the additive form.

    Actual deliveries (``evaluate``) and predicted ones (``evaluate_prediction``)
    go through the same function, ``taste_valence``, so a prediction of salt is
    worth exactly what that salt would be worth if it arrived in the same state.

    Innate adjustable parameter (1 number per rat):
        ``salt_appetite``: starts at ``innate_appetite``. Each dangerous sodium
        depletion (sodium falling below ``danger_level``; re-armed once sodium
        is back above ``rearm_level``) raises it by the fixed rule
        ``appetite += rate x (max_appetite - appetite)``: geometric steps that
        plateau at ``max_appetite``. ``strain="incremental"`` uses
        ``rate=incremental_rate`` (intake rises over 2-3 depletions, Sakai et
        al. 1987; Leshem et al. 2004); ``strain="full"`` uses rate 1 (full
        appetite at the first depletion, the other strains of Leshem et al.).
        The raise is triggered by the depletion itself, so it already applies
        during the depletion that caused it.

    Reward components: ``sweet`` and ``salt`` (their valences). Drives:
    ``sodium`` (D(Na) after the step). No reflexes.

    Reads from the body a ``RatEvents``: the tastes, ``interoception`` (whose
    column 0 is the sodium level, the same vector the body puts in its
    observation) and ``sodium_after`` (after ingestion).
    """

    signal_names = ("sweet", "salt")

    def __init__(
        self,
        kappa_form: str = "additive",
        strain: str = "incremental",
        sweet_value: float = 1.0,
        salt_aversion: float = 1.0,
        need_gain: float = 20.0,
        sodium_set_point: float = 1.0,
        sodium_per_unit: float = 0.05,
        innate_appetite: float = 0.5,
        max_appetite: float = 2.0,
        incremental_rate: float = 0.5,
        danger_level: float = 0.5,
        rearm_level: float = 0.9,
    ) -> None:
        super().__init__()
        if kappa_form not in KAPPA_FORMS:
            raise ValueError(f"kappa_form={kappa_form!r} is unknown; expected one of {KAPPA_FORMS}")
        if strain not in STRAINS:
            raise ValueError(f"strain={strain!r} is unknown; expected one of {STRAINS}")
        checks = {
            "sweet_value": (sweet_value, sweet_value >= 0, ">= 0"),
            "salt_aversion": (salt_aversion, salt_aversion >= 0, ">= 0"),
            "need_gain": (need_gain, need_gain >= 0, ">= 0"),
            "sodium_set_point": (sodium_set_point, sodium_set_point > 0, "> 0"),
            "sodium_per_unit": (sodium_per_unit, sodium_per_unit >= 0, ">= 0"),
            "innate_appetite": (innate_appetite, 0 <= innate_appetite <= max_appetite, f"in [0, max_appetite={max_appetite}]"),
            "incremental_rate": (incremental_rate, 0 < incremental_rate <= 1, "in (0, 1]"),
            "danger_level": (danger_level, 0 < danger_level < rearm_level, f"in (0, rearm_level={rearm_level})"),
        }
        for name, (value, ok, expected) in checks.items():
            if not (np.isfinite(value) and ok):
                raise ValueError(f"{name}={value!r} is invalid: expected {expected}")
        self.kappa_form = kappa_form
        self.strain = strain
        self.sweet_value = float(sweet_value)
        self.salt_aversion = float(salt_aversion)
        self.need_gain = float(need_gain)
        self.sodium_per_unit = float(sodium_per_unit)
        self.max_appetite = float(max_appetite)
        self.rate = 1.0 if strain == "full" else float(incremental_rate)
        self.danger_level = float(danger_level)
        self.rearm_level = float(rearm_level)
        self.homeostat = Homeostat(("sodium",), (sodium_set_point,), n=2.0, m=1.0)
        self.parameters = InnateParameters({"salt_appetite": innate_appetite})
        self._armed = np.ones(1, dtype=bool)
        self.depletions = np.zeros(1, dtype=np.int64)

    def resize(self, num_bodies: int) -> None:
        super().resize(num_bodies)
        self._armed = np.ones(num_bodies, dtype=bool)
        self.depletions = np.zeros(num_bodies, dtype=np.int64)

    def reset(self, mask: np.ndarray | None = None) -> None:
        super().reset(mask)
        sel = slice(None) if mask is None else mask
        self._armed[sel] = True
        self.depletions[sel] = 0

    # --- the one valuation shared by actual and predicted tastes ---------------------
    def log_kappa(self, salt: np.ndarray, sodium: np.ndarray) -> np.ndarray:
        """(bodies,) log kappa of ``salt`` units tasted at ``sodium``, under the current appetite."""
        appetite = self.parameters["salt_appetite"][:, 0]
        relief = self.homeostat.reward(sodium[:, None], (self.sodium_per_unit * salt)[:, None])
        return appetite * self.need_gain * relief

    def taste_valence(self, sweet: np.ndarray, salt: np.ndarray, interoception: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(sweet valence, salt valence), each (bodies,), of tastes in the state ``interoception``."""
        sweet = np.asarray(sweet, dtype=np.float64)
        salt = np.asarray(salt, dtype=np.float64)
        sodium = np.asarray(interoception, dtype=np.float64)[:, 0]
        r_salt = -self.salt_aversion * salt
        log_kappa = self.log_kappa(salt, sodium)
        if self.kappa_form == "additive":
            salt_value = r_salt + log_kappa
        else:
            salt_value = np.exp(log_kappa) * r_salt
        return self.sweet_value * sweet, salt_value

    # --- the body's step --------------------------------------------------------------
    def evaluate(self, events: RatEvents, reflex: ReflexTakeover) -> SteeringOutput:
        sweet, salt = self.taste_valence(events.sweet, events.salt, events.interoception)
        # Value first, then sensitize: a delivery on the onset step is worth what the
        # agent's prediction, made before the step, said it would be.
        self._sensitize(np.asarray(events.interoception, dtype=np.float64)[:, 0])
        return SteeringOutput(
            reward=sweet + salt,
            components={"sweet": sweet, "salt": salt},
            drives={"sodium": self.homeostat.drive(np.asarray(events.sodium_after, dtype=np.float64)[:, None])},
            reflex=reflex,
            reason_names=self.reason_names,
        )

    def _sensitize(self, sodium: np.ndarray) -> None:
        onset = self._armed & (sodium < self.danger_level)
        if onset.any():
            appetite = self.parameters["salt_appetite"]
            appetite[onset] += self.rate * (self.max_appetite - appetite[onset])
            self.depletions += onset
        # Hysteresis: one depletion counts once, however long it lasts.
        self._armed = np.where(onset, False, self._armed | (sodium > self.rearm_level))

    # --- thought assessors' channel ---------------------------------------------------
    def evaluate_prediction(self, predicted: Mapping[str, np.ndarray], interoception: np.ndarray) -> np.ndarray:
        """Valence of *predicted* sweet and salt taste (units, (bodies,) each; a missing
        name counts as 0) in the body state ``interoception`` (bodies, d): exactly what
        an actual delivery of those amounts in that state would earn. Reads only its
        arguments and this module's own innate parameters; changes nothing."""
        check_names("predicted signal", list(predicted), self.signal_names)
        intero = np.asarray(interoception, dtype=np.float64)
        if intero.ndim != 2 or intero.shape[1] < 1:
            raise ValueError(f"interoception must have shape (bodies, d >= 1), got {intero.shape}")
        n = intero.shape[0]
        if n != self.parameters["salt_appetite"].shape[0]:
            raise ValueError(f"interoception holds {n} bodies but this steering module runs {self.parameters['salt_appetite'].shape[0]}")
        zeros = np.zeros(n)
        sig = {}
        for name in self.signal_names:
            v = np.asarray(predicted.get(name, zeros), dtype=np.float64)
            v = np.broadcast_to(v, (n,)) if v.ndim == 0 else v
            if v.shape != (n,):
                raise ValueError(f"predicted {name!r} must have shape ({n},), got {v.shape}")
            sig[name] = v
        sweet, salt = self.taste_valence(sig["sweet"], sig["salt"], intero)
        return sweet + salt


__all__ = ["KAPPA_FORMS", "STRAINS", "RatEvents", "RatSteering"]
