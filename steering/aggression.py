"""The resident male's Steering Subsystem: attack readiness, the attack reflex, the winner and loser effects.

A male mouse defending its home cage attacks an intruder through an innate
program of the ventrolateral ventromedial hypothalamus (VMHvl Esr1 neurons;
Lin et al. 2011). How ready it is to attack is set by a few numbers that change
with experience by a fixed rule, the founding essay's first example of an
innate adjustable parameter ("if you keep winning fights, be more aggressive"):

- an identity-specific input gain per intruder (the posteromedial
  amygdalohippocampal input onto VMHvl, potentiated by each win over that
  intruder: Stagkourakis et al. 2020), and a general gain on any male cue,
  which starts rising only after several wins (Yan et al. 2024: specific
  before general);
- testosterone, whose level gates the potentiation (non-responders, about a
  quarter of males, have low testosterone and no LTP; testosterone restores
  both), pulsed after every win (Trainor, Bird & Marler 2004);
- after a defeat the gains fall and an avoidance drive rises (the loser effect
  of chronic social defeat).

Within an encounter, readiness is VMHvl activity: it integrates the gains'
drive from the intruder's cues step by step; the attack reflex fires when it
crosses a threshold with the intruder within reach, and below a lower gate a
learner's proposed attack comes out as a threat without a bite (VMHvl is
needed for attack: it gates the motor program, it does not only suggest it).

Papers: Stagkourakis, Spigolon, Liu & Anderson 2020, PNAS 117:25789; Yan et
al. 2024, Cell 187:6785; Trainor, Bird & Marler 2004, Horm Behav 46:584;
Lin et al. 2011, Nature 470:221.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

import numpy as np

from brainlike.steering.base import NO_REFLEX, Reflex, ReflexTakeover, Steering, SteeringOutput
from brainlike.steering.compiled import jit
from brainlike.steering.parameters import InnateParameters


class ResidentAction(IntEnum):
    """ResidentIntruder: a resident male's repertoire in an encounter (moves are relative to the intruder)."""

    EXPLORE = 0  # walk the cage in a random direction
    INVESTIGATE = 1  # approach the intruder (sniffing)
    THREAT = 2  # tail rattle, a lunge without contact
    ATTACK = 3  # bite the intruder if within reach, else lunge towards it
    UPRIGHT = 4  # defensive upright posture: fewer of the intruder's bites land
    FLEE = 5  # run away from the intruder
    GROOM = 6  # self-grooming, in place


#: Intruder identities the identity-specific gains tell apart (the size of the odour code).
NUM_IDENTITIES = 3
#: A normal male's baseline testosterone (arbitrary units); the supplement brings a low male to it.
NORMAL_TESTOSTERONE = 1.0


@dataclass(frozen=True, slots=True)
class ResidentSenses:
    """What the attack reflex reads before the resident moves."""

    male_cue: np.ndarray  # (bodies,) the intruder's male odour at the resident's nose, 0..1 (stronger when close)
    identity: np.ndarray  # (bodies,) int, the intruder's identity (which identity-specific gain its cue drives)
    within_reach: np.ndarray  # (bodies,) bool, the intruder close enough to bite


@dataclass(frozen=True, slots=True)
class ResidentEvents:
    """What happened this step, for the evaluation and the daily rule."""

    attacked: np.ndarray  # (bodies,) bool, the resident attacked the intruder within reach
    bitten: np.ndarray  # (bodies,) bool, the intruder's bite landed on the resident
    won: np.ndarray  # (bodies,) bool, the intruder submitted this step (the encounter is won)
    defeated: np.ndarray  # (bodies,) bool, the resident was defeated this step
    encounter_ended: np.ndarray  # (bodies,) bool, the day's encounter is over (the rule is applied now)
    encounter_won: np.ndarray  # (bodies,) bool, the encounter ending now was won (the intruder submitted in it)
    identity: np.ndarray  # (bodies,) int, the identity of this step's intruder
    proximity: np.ndarray  # (bodies,) 0..1, how close the intruder is (1 touching)


class AttackReason(IntEnum):
    ATTACK = 0  # readiness crossed the threshold with the intruder within reach
    WITHHELD = 1  # a proposed attack below the readiness gate: executed as a threat, no bite


EXPLORE, INVESTIGATE, THREAT, ATTACK, UPRIGHT, FLEE, GROOM = (int(a) for a in ResidentAction)
ATTACKED, WITHHELD = int(AttackReason.ATTACK), int(AttackReason.WITHHELD)
#: The columns of ``ResidentSteering.parameters.values`` (declared in that order; a test checks it):
#: one identity-specific gain per identity from ``IDENTITY_GAIN``, then the rest.
IDENTITY_GAIN = 0
GENERAL_GAIN, TESTOSTERONE, AVOIDANCE, WINS = NUM_IDENTITIES, NUM_IDENTITIES + 1, NUM_IDENTITIES + 2, NUM_IDENTITIES + 3

#: The steering's constants as its compiled functions read them (``ResidentSteering.constants``).
RESIDENT_CONSTANTS = np.dtype([
    ("threshold", np.float64), ("leak", np.float64), ("testosterone_weight", np.float64), ("avoidance_weight", np.float64),
    ("attack_gate", np.float64), ("spent", np.float64), ("max_gain", np.float64), ("ltp_rate", np.float64),
    ("general_rate", np.float64), ("general_after", np.int64), ("ltd_rate", np.float64), ("avoidance_rate", np.float64),
    ("testosterone_pulse", np.float64), ("testosterone_decay", np.float64), ("ltp_testosterone", np.float64),
    ("nonresponder_fraction", np.float64), ("win_reward", np.float64), ("pain_cost", np.float64),
    ("defeat_stress", np.float64), ("fear_cost", np.float64), ("potentiation", np.bool_), ("defeat_rule", np.bool_),
    ("supplement", np.bool_),
])


# --- compiled: one body at a time, called from ResidentIntruder's step kernel ----------------
# Those taking arrays are pasted into it (``jit(inline=True)``): called, they would change the
# reference counts of the steering's arrays (atomic operations) once per body and step; measured,
# the step kernel at N=1024 took about a fifth less time.
@jit(inline=True)
def attack_drive(c, params, b, male_cue, identity):  # type: ignore[no-untyped-def]
    """Body ``b``'s drive onto VMHvl this step, from the male cue of intruder ``identity`` (never below 0)."""
    drive = ((params[b, IDENTITY_GAIN + identity] + params[b, GENERAL_GAIN]) * male_cue
             + c["testosterone_weight"] * params[b, TESTOSTERONE] - c["avoidance_weight"] * params[b, AVOIDANCE])
    return max(drive, 0.0)


@jit(inline=True)
def attack_reflex(c, params, readiness, b, enabled, male_cue, identity, within_reach, proposed):  # type: ignore[no-untyped-def]
    """Body ``b``'s readiness integrates this step's drive; then (executed action, reason or NO_REFLEX).

    Readiness is integrated even with the reflex inhibited (the gate on a learner's
    attacks needs it); a reflex lesion removes the gate too.
    """
    level = readiness[b] = c["leak"] * readiness[b] + attack_drive(c, params, b, male_cue, identity)
    # One exit, arrays no longer read: numba's reference counting of ``readiness`` around this
    # inlined call is then pruned (atomic operations per body and step).
    executed, reason = proposed, NO_REFLEX
    if enabled and level >= c["threshold"] and within_reach:
        executed, reason = ATTACK, ATTACKED
    # VMHvl gates the attack program: without readiness a proposed attack is only a threat.
    elif enabled and proposed == ATTACK and level < c["attack_gate"] * c["threshold"]:
        executed, reason = THREAT, WITHHELD
    return executed, reason


@jit
def ltp_gate(c, testosterone):  # type: ignore[no-untyped-def]
    """How much of the potentiation testosterone permits: 0 below ``ltp_testosterone``, 1 at normal levels."""
    return min(max((testosterone - c["ltp_testosterone"]) / (NORMAL_TESTOSTERONE - c["ltp_testosterone"]), 0.0), 1.0)


@jit
def baseline_level(c, u):  # type: ignore[no-untyped-def]
    """A resident's baseline testosterone from one uniform ``u``: the low quarter at 0.3-0.4, the others 0.8-1.2."""
    q = c["nonresponder_fraction"]
    if u < q:
        level = 0.3 + 0.1 * u / max(q, 1e-12)
    else:
        level = 0.8 + 0.4 * (u - q) / max(1.0 - q, 1e-12)
    return max(level, NORMAL_TESTOSTERONE) if c["supplement"] else level


@jit(inline=True)
def daily_rule(c, params, baseline, b, encounter_won, defeated, identity):  # type: ignore[no-untyped-def]
    """Body ``b``'s fixed rule at the end of an encounter: testosterone decays, wins potentiate, defeats depress."""
    t = baseline[b] + c["testosterone_decay"] * (params[b, TESTOSTERONE] - baseline[b])
    if encounter_won and not defeated:
        gate = ltp_gate(c, t)
        params[b, WINS] += 1.0
        if c["potentiation"]:
            g = params[b, IDENTITY_GAIN + identity]
            params[b, IDENTITY_GAIN + identity] = g + c["ltp_rate"] * gate * (c["max_gain"] - g)
            # Specific before general: the general gain moves only after the first few wins.
            if params[b, WINS] > c["general_after"]:
                gg = params[b, GENERAL_GAIN]
                params[b, GENERAL_GAIN] = gg + c["general_rate"] * gate * (c["max_gain"] - gg)
        t += c["testosterone_pulse"] * baseline[b]
    params[b, TESTOSTERONE] = t
    if defeated and c["defeat_rule"]:
        params[b, IDENTITY_GAIN + identity] *= 1.0 - c["ltd_rate"]
        params[b, GENERAL_GAIN] *= 1.0 - c["ltd_rate"]
        a = params[b, AVOIDANCE]
        params[b, AVOIDANCE] = a + c["avoidance_rate"] * (1.0 - a)


@jit(inline=True)
def resident_evaluate(c, params, baseline, readiness, b, attacked, bitten, won, defeated, ended, encounter_won, identity, proximity):  # type: ignore[no-untyped-def]
    """Body ``b``'s reward components (win, pain, defeat, fear) and its readiness drive (a fraction of the
    threshold); applies the daily rule when the encounter ended."""
    # An attack spends readiness, so the attack rate follows the drive.
    if attacked:
        readiness[b] = readiness[b] - c["spent"] * c["threshold"]
    win = c["win_reward"] * (1.0 if won else 0.0)
    pain = -c["pain_cost"] * (1.0 if bitten else 0.0)
    defeat = -c["defeat_stress"] * (1.0 if defeated else 0.0)
    fear = -c["fear_cost"] * params[b, AVOIDANCE] * proximity
    if ended:
        daily_rule(c, params, baseline, b, encounter_won, defeated, identity)
        readiness[b] = 0.0
    return win, pain, defeat, fear, readiness[b] / c["threshold"]


# --- the same functions over a batch, for the Steering API (records in, arrays out) -------
@jit
def _reflex_batch(constants, params, readiness, enabled, male_cue, identity, within_reach, proposed, executed, reason):  # type: ignore[no-untyped-def]
    c = constants[0]
    for b in range(male_cue.shape[0]):
        executed[b], reason[b] = attack_reflex(c, params, readiness, b, enabled, male_cue[b], identity[b], within_reach[b], proposed[b])


@jit
def _drive_batch(constants, params, male_cue, identity, out):  # type: ignore[no-untyped-def]
    c = constants[0]
    for b in range(male_cue.shape[0]):
        out[b] = attack_drive(c, params, b, male_cue[b], identity[b])


@jit
def _baseline_batch(constants, u, out):  # type: ignore[no-untyped-def]
    c = constants[0]
    for b in range(u.shape[0]):
        out[b] = baseline_level(c, u[b])


@jit
def _evaluate_batch(constants, params, baseline, readiness, attacked, bitten, won, defeated, ended, encounter_won, identity, proximity, out):  # type: ignore[no-untyped-def]
    c = constants[0]
    for b in range(attacked.shape[0]):
        out[b, 0], out[b, 1], out[b, 2], out[b, 3], out[b, 4] = resident_evaluate(
            c, params, baseline, readiness, b, attacked[b], bitten[b], won[b], defeated[b], ended[b], encounter_won[b], identity[b], proximity[b])


class AttackReflex(Reflex[ResidentSenses]):
    """VMHvl readiness -> attack: fires when readiness crosses ``threshold`` with the intruder within reach.

    Readiness (``self.readiness``, one per body) is the fast activity the gains
    drive: each step it decays by ``leak`` and adds the drive
    ``(identity_gain[identity] + general_gain) x male_cue + testosterone_weight
    x testosterone - avoidance_weight x avoidance`` (never below 0). Each attack
    spends ``spent`` x ``threshold`` of it, so a resident with twice the drive
    attacks twice as often. The steering integrates it every step, even with
    the reflex inhibited (the gate on a learner's attacks needs it).

    Written once, as the compiled ``attack_reflex`` (one body), which the
    resident's step kernel calls; ``ResidentSteering.reflex`` runs it over a batch.
    """

    name = "attack"
    reasons = AttackReason

    def __init__(self, threshold: float, leak: float, testosterone_weight: float, avoidance_weight: float) -> None:
        super().__init__(duration=1)
        self.threshold = threshold
        self.leak = leak
        self.testosterone_weight = testosterone_weight
        self.avoidance_weight = avoidance_weight
        self.readiness = np.zeros(1)

    def resize(self, num_bodies: int) -> None:
        super().resize(num_bodies)
        self.readiness = np.zeros(num_bodies)

    def reset(self, mask: np.ndarray | None = None) -> None:
        super().reset(mask)
        self.readiness[slice(None) if mask is None else mask] = 0.0

    @property
    def constants(self) -> np.ndarray:
        """The reflex's own constants in the steering's record (the rest zero): what ``attack_drive`` reads."""
        c = np.zeros(1, dtype=RESIDENT_CONSTANTS)
        c["threshold"], c["leak"] = self.threshold, self.leak
        c["testosterone_weight"], c["avoidance_weight"] = self.testosterone_weight, self.avoidance_weight
        return c

    def drive(self, senses: ResidentSenses, params: InnateParameters) -> np.ndarray:
        """(bodies,) the gains' drive onto VMHvl this step."""
        out = np.empty(senses.identity.shape[0])
        _drive_batch(self.constants, params.values, np.asarray(senses.male_cue, dtype=np.float64),
                     np.asarray(senses.identity, dtype=np.int64), out)
        return out


class ResidentSteering(Steering[ResidentSenses, ResidentEvents]):
    """Attack readiness, the attack reflex, the innate rewards and the fights-won rule of a resident male.

    Reward components (summed into the reward):
        ``win``: ``+win_reward`` on the step the intruder submits.
        ``pain``: ``-pain_cost`` per bite received.
        ``defeat``: ``-defeat_stress`` on the step the resident is defeated.
        ``fear``: ``-fear_cost`` x avoidance x proximity, every step: a defeated
            male finds a male's closeness aversive (social avoidance).

    Innate adjustable parameters (``NUM_IDENTITIES`` + 4 numbers per resident),
    changed once per encounter, when it ends, by a fixed rule:
        ``identity_gain`` (one per intruder identity): after a win over that
            intruder it rises by ``ltp_rate`` x gate x (``max_gain`` - gain);
            after a defeat by it, it falls by the fraction ``ltd_rate``.
        ``general_gain``: the gain on any male cue; it rises by ``general_rate``
            x gate x (``max_gain`` - gain) after each win beyond the first
            ``general_after`` wins; it falls by ``ltd_rate`` after a defeat.
        ``testosterone``: decays each day half way (``testosterone_decay``) to the
            resident's baseline; after a win it rises by ``testosterone_pulse`` x
            baseline. The LTP gate is ``clip((T - ltp_testosterone) / (1 -
            ltp_testosterone), 0, 1)``: a low-testosterone male does not potentiate.
        ``avoidance``: rises by ``avoidance_rate`` x (1 - avoidance) after a defeat;
            it subtracts from readiness and makes a male's closeness aversive.
        ``wins``: the fights-won counter.

    Switches: ``potentiation=False`` blocks every gain increase (the LTP-block
    analogue; the testosterone pulse still comes); ``defeat_rule=False`` blocks
    the fall after defeats; ``supplement=True`` raises every baseline
    testosterone to at least the normal level.

    Population spread (``draw_baseline``): a fraction ``nonresponder_fraction``
    (0.25) of residents have a baseline testosterone of 0.3-0.4, the others
    0.8-1.2.

    Reflexes: ``AttackReflex`` (see there), plus the gate: a proposed attack
    with readiness below ``attack_gate`` x threshold is executed as a threat
    (reason ``withheld``). With the reflexes inhibited the gate goes too.

    The rules are compiled functions (``attack_reflex``, ``resident_evaluate``)
    called from ResidentIntruder's step kernel; ``reflex`` and ``evaluate`` run
    them over a batch of records.
    """

    def __init__(
        self,
        threshold: float = 24.0,
        attack_gate: float = 0.5,
        spent: float = 0.25,
        leak: float = 0.98,
        testosterone_weight: float = 0.1,
        avoidance_weight: float = 1.0,
        innate_gain: float = 0.5,
        max_gain: float = 2.0,
        ltp_rate: float = 0.35,
        general_rate: float = 0.12,
        general_after: int = 3,
        ltd_rate: float = 0.15,
        avoidance_rate: float = 0.15,
        testosterone_pulse: float = 0.5,
        testosterone_decay: float = 0.5,
        ltp_testosterone: float = 0.5,
        nonresponder_fraction: float = 0.25,
        win_reward: float = 1.0,
        pain_cost: float = 0.3,
        defeat_stress: float = 1.0,
        fear_cost: float = 0.1,
        potentiation: bool = True,
        defeat_rule: bool = True,
        supplement: bool = False,
    ) -> None:
        super().__init__()
        checks = {
            "threshold": (threshold, threshold > 0, "> 0"),
            "attack_gate": (attack_gate, 0 <= attack_gate <= 1, "a fraction of the threshold in [0, 1]"),
            "spent": (spent, 0 <= spent <= 1, "a fraction of the threshold in [0, 1]"),
            "leak": (leak, 0 < leak <= 1, "in (0, 1]"),
            "innate_gain": (innate_gain, 0 <= innate_gain <= max_gain, f"in [0, max_gain={max_gain}]"),
            "general_after": (general_after, general_after >= 0, ">= 0 wins"),
            "ltp_testosterone": (ltp_testosterone, 0 <= ltp_testosterone < NORMAL_TESTOSTERONE, f"in [0, {NORMAL_TESTOSTERONE})"),
        }
        for name in ("ltp_rate", "general_rate", "ltd_rate", "avoidance_rate", "testosterone_decay", "nonresponder_fraction"):
            value = locals()[name]
            checks[name] = (value, 0 <= value <= 1, "a probability or rate in [0, 1]")
        for name in ("testosterone_weight", "avoidance_weight", "testosterone_pulse", "win_reward", "pain_cost", "defeat_stress", "fear_cost"):
            value = locals()[name]
            checks[name] = (value, value >= 0, ">= 0")
        for name, (value, ok, expected) in checks.items():
            if not ok:
                raise ValueError(f"{name}={value!r} is invalid: expected {expected}")
        self.attack_gate, self.spent = float(attack_gate), float(spent)
        self.max_gain, self.ltp_rate, self.general_rate = float(max_gain), float(ltp_rate), float(general_rate)
        self.general_after, self.ltd_rate, self.avoidance_rate = int(general_after), float(ltd_rate), float(avoidance_rate)
        self.testosterone_pulse, self.testosterone_decay = float(testosterone_pulse), float(testosterone_decay)
        self.ltp_testosterone, self.nonresponder_fraction = float(ltp_testosterone), float(nonresponder_fraction)
        self.win_reward, self.pain_cost, self.defeat_stress, self.fear_cost = float(win_reward), float(pain_cost), float(defeat_stress), float(fear_cost)
        self.potentiation, self.defeat_rule, self.supplement = bool(potentiation), bool(defeat_rule), bool(supplement)
        self.attack = AttackReflex(float(threshold), float(leak), float(testosterone_weight), float(avoidance_weight))
        self.reflexes = (self.attack,)
        self.parameters = InnateParameters({
            "identity_gain": (float(innate_gain),) * NUM_IDENTITIES,
            "general_gain": float(innate_gain),
            "testosterone": NORMAL_TESTOSTERONE,
            "avoidance": 0.0,
            "wins": 0.0,
        })
        #: (bodies,) each resident's baseline testosterone, drawn at birth (``draw_baseline``).
        self.baseline = np.full(1, NORMAL_TESTOSTERONE)

    @property
    def threshold(self) -> float:
        return self.attack.threshold

    @property
    def constants(self) -> np.ndarray:
        """The steering's constants as an array of one record; its compiled functions read ``constants[0]["spent"]``."""
        c = self.attack.constants
        for name in RESIDENT_CONSTANTS.names:
            if name not in ("threshold", "leak", "testosterone_weight", "avoidance_weight"):
                c[name] = getattr(self, name)
        return c

    # --- lifecycle: the population spread is drawn at birth -------------------------
    def resize(self, num_bodies: int) -> None:
        super().resize(num_bodies)
        self.baseline = np.full(num_bodies, NORMAL_TESTOSTERONE)

    def reset(self, mask: np.ndarray | None = None) -> None:
        super().reset(mask)
        self.baseline[slice(None) if mask is None else mask] = NORMAL_TESTOSTERONE

    def baseline_of(self, u: np.ndarray) -> np.ndarray:
        """Baseline testosterone from uniforms ``u``: the low quarter at 0.3-0.4, the others 0.8-1.2."""
        u = np.asarray(u, dtype=np.float64)
        out = np.empty(u.shape[0])
        _baseline_batch(self.constants, u, out)
        return out

    def draw_baseline(self, mask: np.ndarray, u: np.ndarray) -> None:
        """Draw the baseline testosterone of the residents in ``mask`` (one uniform each, ``u``)."""
        level = self.baseline_of(u)
        self.baseline[mask] = level
        self.parameters["testosterone"][mask, 0] = level

    # --- reflexes ------------------------------------------------------------------
    def reflex(self, senses: ResidentSenses, proposed: np.ndarray) -> ReflexTakeover:
        n = proposed.shape[0]
        executed, reason = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64)
        _reflex_batch(self.constants, self.parameters.values, self.attack.readiness, self.reflexes_enabled,
                      np.asarray(senses.male_cue, dtype=np.float64), np.asarray(senses.identity, dtype=np.int64),
                      np.asarray(senses.within_reach, dtype=np.bool_), np.asarray(proposed, dtype=np.int64), executed, reason)
        return ReflexTakeover(reason != NO_REFLEX, executed, reason)

    # --- reward and the daily rule -----------------------------------------------------
    def evaluate(self, events: ResidentEvents, reflex: ReflexTakeover) -> SteeringOutput:
        n = events.attacked.shape[0]
        out = np.empty((n, 5))
        flag = lambda x: np.asarray(x, dtype=np.bool_)  # noqa: E731
        _evaluate_batch(self.constants, self.parameters.values, self.baseline, self.attack.readiness, flag(events.attacked),
                        flag(events.bitten), flag(events.won), flag(events.defeated), flag(events.encounter_ended),
                        flag(events.encounter_won), np.asarray(events.identity, dtype=np.int64),
                        np.asarray(events.proximity, dtype=np.float64), out)
        win, pain, defeat, fear, readiness = out.T
        p = self.parameters
        return SteeringOutput(
            reward=win + pain + defeat + fear,
            components={"win": win, "pain": pain, "defeat": defeat, "fear": fear},
            drives={"readiness": readiness, "testosterone": p["testosterone"][:, 0].copy(), "avoidance": p["avoidance"][:, 0].copy()},
            reflex=reflex,
            reason_names=self.reason_names,
        )


__all__ = ["NORMAL_TESTOSTERONE", "NUM_IDENTITIES", "AttackReason", "AttackReflex", "ResidentEvents", "ResidentSenses",
           "ResidentSteering", "attack_reflex", "baseline_level", "resident_evaluate"]
