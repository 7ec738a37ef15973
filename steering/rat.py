"""The rat's Steering Subsystem: a sodium homeostat, an innate salt appetite, liking and wanting, sensitization.

Papers: Robinson & Berridge 2013 (a cue for intense salt, learned as repulsive,
becomes attractive on the first cue-only trial after the first-ever sodium
depletion); Zhang, Berridge, Tindell, Smith & Aldridge 2009 (incentive value =
learned prediction re-evaluated by the physiological factor kappa); Keramati &
Gutkin 2014 (drive-reduction reward); Sakai et al. 1987 and Leshem et al. 2004
(salt appetite sensitizes across depletions, incrementally or all at once); Clark &
Bernstein 2006 (sensitization raises wanting, not liking).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import IntEnum

import numpy as np

from brainlike.steering.base import ReflexTakeover, Steering, SteeringOutput, check_names
from brainlike.steering.compiled import jit
from brainlike.steering.homeostat import Homeostat, drive_of_one
from brainlike.steering.parameters import InnateParameters


class RatAction(IntEnum):
    """SaltRat: approach and nibble are appetitive, withdraw aversive."""

    STAY = 0
    APPROACH = 1  # one step towards the front wall
    NIBBLE = 2  # press/nibble the inserted lever, or lick the spout (only at the wall)
    WITHDRAW = 3  # one step back


KAPPA_FORMS = ("additive", "multiplicative")
STRAINS = ("incremental", "full")
#: The column of ``RatSteering.parameters.values`` holding ``salt_sensitization`` (its only parameter).
SALT_SENSITIZATION = 0


#: The steering's constants as its compiled functions read them (``RatSteering.constants``).
RAT_CONSTANTS = np.dtype([
    ("sweet_value", np.float64), ("salt_aversion", np.float64), ("appetite_gain", np.float64),
    ("sodium_per_unit", np.float64), ("set_point", np.float64), ("weight", np.float64), ("exponent", np.float64),
    ("additive", np.bool_), ("rate", np.float64), ("max_sensitization", np.float64),
    ("danger_level", np.float64), ("rearm_level", np.float64),
])


# --- compiled: one body at a time, called from SaltRat's step kernel ---------------------
@jit
def taste_valence_of_one(c, sensitization, sweet, salt, sodium, wanting):  # type: ignore[no-untyped-def]
    """(sweet valence, salt valence) of ``sweet`` and ``salt`` units tasted at ``sodium``, for
    one body: their liking, plus the ``sensitization`` x salt incentive when ``wanting``."""
    # log kappa: the innate appetite's drive reduction, D(Na) - D(Na + sodium in the salt).
    before = drive_of_one(sodium, c["set_point"], c["weight"], c["exponent"])
    # No salt, no drive reduction: D(Na + 0) is D(Na) bit for bit, so the dearest operation of
    # the step (the power) is taken once on the many steps without salt.
    after = before if salt == 0.0 else drive_of_one(sodium + c["sodium_per_unit"] * salt, c["set_point"], c["weight"], c["exponent"])
    log_kappa = c["appetite_gain"] * (before - after)
    if wanting:
        log_kappa = log_kappa + sensitization * salt
    r_salt = -c["salt_aversion"] * salt
    salt_value = r_salt + log_kappa if c["additive"] else np.exp(log_kappa) * r_salt
    return c["sweet_value"] * sweet, salt_value


@jit
def sensitize(c, params, armed, depletions, b, sodium):  # type: ignore[no-untyped-def]
    """Body ``b``'s depletion episodes at ``sodium``, and the sensitization applied when one ends."""
    # An episode opens when sodium falls below the danger level (counted once,
    # however long it lasts) and closes when sodium is back near the set point;
    # the sensitization is applied when it closes, so it changes later depletions.
    onset = armed[b] and sodium < c["danger_level"]
    recovered = not armed[b] and sodium > c["rearm_level"]
    if recovered:
        params[b, SALT_SENSITIZATION] += c["rate"] * (c["max_sensitization"] - params[b, SALT_SENSITIZATION])
    depletions[b] += onset
    armed[b] = (armed[b] and not onset) or recovered


@jit
def rat_evaluate(c, params, armed, depletions, b, sweet, salt, sodium, sodium_after):  # type: ignore[no-untyped-def]
    """Body ``b``'s reward components (sweet, salt: their liking at the sensed ``sodium``) and its
    sodium drive after ingestion; updates its sensitization."""
    sweet_value, salt_value = taste_valence_of_one(c, params[b, SALT_SENSITIZATION], sweet, salt, sodium, False)
    sensitize(c, params, armed, depletions, b, sodium)
    return sweet_value, salt_value, drive_of_one(sodium_after, c["set_point"], c["weight"], c["exponent"])


# --- the same functions over a batch, for the Steering API (arrays in, arrays out) ------
@jit
def _valence_batch(c, params, sweet, salt, sodium, wanting, out):  # type: ignore[no-untyped-def]
    for b in range(sodium.shape[0]):
        out[b, 0], out[b, 1] = taste_valence_of_one(c[0], params[b, SALT_SENSITIZATION], sweet[b], salt[b], sodium[b], wanting)


@jit
def _evaluate_batch(c, params, armed, depletions, sweet, salt, sodium, sodium_after, out):  # type: ignore[no-untyped-def]
    for b in range(sodium.shape[0]):
        out[b, 0], out[b, 1], out[b, 2] = rat_evaluate(c[0], params, armed, depletions, b, sweet[b], salt[b], sodium[b], sodium_after[b])


@dataclass(frozen=True, slots=True)
class RatEvents:
    """What reached the rat's tongue this step, and its sodium, for ``RatSteering.evaluate``."""

    sweet: np.ndarray  # units of sucrose tasted
    salt: np.ndarray  # units of NaCl tasted
    interoception: np.ndarray  # (bodies, d): the body's interoceptive vector before ingestion; column 0 is sodium
    sodium_after: np.ndarray  # sodium after ingestion


class RatSteering(Steering[None, RatEvents]):
    """Sweet and intense-salt taste, valued under the body's sodium state, on two channels.

    Innate signals (``signal_names``): ``sweet`` and ``salt``, the amounts of
    sucrose and of NaCl that reach the tongue, in units of one oral infusion.

    Two channels (Berridge's "liking" and "wanting"; Clark & Bernstein 2006):

    - **Liking** (``evaluate``, the reward of a taste that actually arrives,
      and the body's taste-reactivity readout): the hedonic value of the taste
      in the current sodium state. Sensitization never touches it.
    - **Wanting** (``evaluate_prediction``, the value the thought assessors'
      *predicted* tastes get, which sets approach, work and vigour): the liking
      of the predicted taste plus the incentive added by salt-appetite
      sensitization. In a depletion-naive rat the two are equal; after a
      depletion episode predicted salt is wanted more than it is liked, so a
      rat can want (work for, approach) salt more without liking it more.

    Taste valence. Each taste has an innate, state-free value ``r``: sucrose
    ``sweet_value`` per unit (appetitive), intense (Dead Sea) salt
    ``-salt_aversion`` per unit (repulsive). The sodium state enters through
    Zhang et al.'s physiological factor kappa. On the liking channel

        log kappa = innate_appetite x need_gain x (D(Na) - D(Na + sodium_per_unit x salt)),

    the drive reduction (Keramati & Gutkin 2014) the tasted sodium would bring
    under a sodium ``Homeostat`` (set point ``sodium_set_point``, n =
    ``drive_exponent``, m = 1), scaled by the innate sodium appetite
    ``innate_appetite``: a fixed gain, present from birth, so depletion makes
    salt valuable from the first depletion of a life, with no prior experience
    (Robinson & Berridge 2013's rats were depletion-naive). When replete, salt
    only overshoots the set point, so log kappa <= 0; when depleted it is large
    and positive. With n = 1.5 the marginal relief of a lick still outweighs
    its aversion close to the set point, so a depleted rat drinks until the
    deficit is nearly repaired instead of stopping half-way. On the wanting
    channel, ``log kappa + salt_sensitization x salt``. Sucrose has kappa = 1
    in every state, on both channels.

    ``kappa_form="additive"``: r~ = r + log kappa. ``"multiplicative"``:
    r~ = kappa x r. Why only the additive form can flip a learned negative
    value: kappa = exp(log kappa) is positive, so kappa x r always keeps the
    sign of r; a repulsive salt stays repulsive (it is merely scaled, and in
    fact grows *more* repulsive when depletion makes kappa > 1). Adding log
    kappa moves the value by an amount independent of r's sign, so a large
    enough sodium need carries a negative r above zero: the instant
    transformation of Robinson & Berridge 2013 needs the additive form.

    Innate adjustable parameter (1 number per rat):
        ``salt_sensitization``: the incentive (value per unit of predicted
        salt, on the wanting channel only) added by past depletions; 0 at
        birth. A dangerous sodium depletion (sodium falling below
        ``danger_level``) opens an episode; when sodium is back above
        ``rearm_level`` the episode is over and the parameter rises by the
        fixed rule ``s += rate x (max_sensitization - s)``: geometric steps
        that plateau at ``max_sensitization``. Applied *after* the episode, it
        changes later depletions, not the one that caused it (Sakai et al.
        1987). ``strain="incremental"`` uses ``rate=incremental_rate``
        (intake rises over 2-3 depletions; Leshem et al. 2004);
        ``strain="full"`` uses rate 1 (the whole rise after the first
        depletion, the other strains of Leshem et al.). Because the incentive
        is per unit of salt and not per unit of need, it also raises need-free
        wanting (Sakai et al. 1989); ``max_sensitization=0`` is the lesion.

    Reward components: ``sweet`` and ``salt`` (their liking). Drives:
    ``sodium`` (D(Na) after the step). No reflexes.

    Reads from the body a ``RatEvents``: the tastes, ``interoception`` (whose
    column 0 is the sodium level, the same vector the body puts in its
    observation) and ``sodium_after`` (after ingestion). The rules are compiled
    functions (``taste_valence_of_one``, ``rat_evaluate``) called from SaltRat's step
    kernel; ``evaluate``, ``taste_valence`` and ``evaluate_prediction`` run them over a batch.
    """

    signal_names = ("sweet", "salt")

    def __init__(
        self,
        kappa_form: str = "additive",
        strain: str = "incremental",
        sweet_value: float = 1.0,
        salt_aversion: float = 1.0,
        need_gain: float = 50.0,
        drive_exponent: float = 1.5,
        sodium_set_point: float = 1.0,
        sodium_per_unit: float = 0.05,
        innate_appetite: float = 1.0,
        max_sensitization: float = 0.8,
        incremental_rate: float = 0.5,
        danger_level: float = 0.5,
        rearm_level: float = 0.97,
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
            "drive_exponent": (drive_exponent, drive_exponent > 1, "> 1 (the homeostat's n > m = 1)"),
            "sodium_set_point": (sodium_set_point, sodium_set_point > 0, "> 0"),
            "sodium_per_unit": (sodium_per_unit, sodium_per_unit >= 0, ">= 0"),
            "innate_appetite": (innate_appetite, innate_appetite >= 0, ">= 0"),
            "max_sensitization": (max_sensitization, max_sensitization >= 0, ">= 0 (0 lesions sensitization)"),
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
        self.innate_appetite = float(innate_appetite)
        self.max_sensitization = float(max_sensitization)
        self.rate = 1.0 if strain == "full" else float(incremental_rate)
        self.danger_level = float(danger_level)
        self.rearm_level = float(rearm_level)
        self.homeostat = Homeostat(("sodium",), (sodium_set_point,), n=float(drive_exponent), m=1.0)
        self.parameters = InnateParameters({"salt_sensitization": 0.0})
        self.armed = np.ones(1, dtype=bool)  # per body: a dangerous depletion would open an episode
        self.depletions = np.zeros(1, dtype=np.int64)

    @property
    def constants(self) -> np.ndarray:
        """The steering's constants as an array of one record; its compiled functions read ``constants[0]["rate"]``."""
        values = (self.sweet_value, self.salt_aversion, self.innate_appetite * self.need_gain, self.sodium_per_unit,
                  *self.homeostat.one_variable(), self.kappa_form == "additive", self.rate, self.max_sensitization,
                  self.danger_level, self.rearm_level)
        return np.array([values], dtype=RAT_CONSTANTS)

    def resize(self, num_bodies: int) -> None:
        super().resize(num_bodies)
        self.armed = np.ones(num_bodies, dtype=bool)
        self.depletions = np.zeros(num_bodies, dtype=np.int64)

    def reset(self, mask: np.ndarray | None = None) -> None:
        super().reset(mask)
        sel = slice(None) if mask is None else mask
        self.armed[sel] = True
        self.depletions[sel] = 0

    # --- the valuation of tastes, on the liking or the wanting channel --------------
    def taste_valence(self, sweet: np.ndarray, salt: np.ndarray, interoception: np.ndarray,
                      wanting: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """(sweet valence, salt valence), each (bodies,), of tastes in the state ``interoception``:
        their liking, or their wanting (liking plus the sensitized incentive) when ``wanting``."""
        sodium = np.ascontiguousarray(np.asarray(interoception, dtype=np.float64)[:, 0])
        out = np.empty((sodium.shape[0], 2))
        _valence_batch(self.constants, self.parameters.values, np.ascontiguousarray(sweet, dtype=np.float64),
                       np.ascontiguousarray(salt, dtype=np.float64), sodium, bool(wanting), out)
        return out[:, 0], out[:, 1]

    # --- the body's step --------------------------------------------------------------
    def evaluate(self, events: RatEvents, reflex: ReflexTakeover) -> SteeringOutput:
        # The reward of a taste that arrives is its liking; the rules are the compiled ``rat_evaluate``.
        sodium = np.ascontiguousarray(np.asarray(events.interoception, dtype=np.float64)[:, 0])
        out = np.empty((sodium.shape[0], 3))
        _evaluate_batch(self.constants, self.parameters.values, self.armed, self.depletions, np.ascontiguousarray(events.sweet, dtype=np.float64),
                        np.ascontiguousarray(events.salt, dtype=np.float64), sodium, np.ascontiguousarray(events.sodium_after, dtype=np.float64), out)
        sweet, salt, drive = out.T
        return SteeringOutput(
            reward=sweet + salt,
            components={"sweet": sweet, "salt": salt},
            drives={"sodium": drive},
            reflex=reflex,
            reason_names=self.reason_names,
        )

    # --- thought assessors' channel ---------------------------------------------------
    def evaluate_prediction(self, predicted: Mapping[str, np.ndarray], interoception: np.ndarray) -> np.ndarray:
        """Wanting of *predicted* sweet and salt taste (units, (bodies,) each; a missing
        name counts as 0) in the body state ``interoception`` (bodies, d): their liking in
        that state plus the sensitized incentive for salt, so in a depletion-naive rat
        exactly what an actual delivery would earn. Reads only its arguments and this
        module's own innate parameters; changes nothing."""
        check_names("predicted signal", list(predicted), self.signal_names)
        intero = np.asarray(interoception, dtype=np.float64)
        if intero.ndim != 2 or intero.shape[1] < 1:
            raise ValueError(f"interoception must have shape (bodies, d >= 1), got {intero.shape}")
        n = intero.shape[0]
        if n != self.parameters["salt_sensitization"].shape[0]:
            raise ValueError(f"interoception holds {n} bodies but this steering module runs {self.parameters['salt_sensitization'].shape[0]}")
        zeros = np.zeros(n)
        sig = {}
        for name in self.signal_names:
            v = np.asarray(predicted.get(name, zeros), dtype=np.float64)
            v = np.broadcast_to(v, (n,)) if v.ndim == 0 else v
            if v.shape != (n,):
                raise ValueError(f"predicted {name!r} must have shape ({n},), got {v.shape}")
            sig[name] = v
        sweet, salt = self.taste_valence(sig["sweet"], sig["salt"], intero, wanting=True)
        return sweet + salt


__all__ = ["KAPPA_FORMS", "RAT_CONSTANTS", "SALT_SENSITIZATION", "STRAINS", "RatAction", "RatEvents", "RatSteering", "rat_evaluate", "taste_valence_of_one"]
