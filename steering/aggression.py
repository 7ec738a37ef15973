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

from brainlike.steering.base import Reflex, ReflexTakeover, Steering, SteeringOutput
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


class AttackReflex(Reflex[ResidentSenses]):
    """VMHvl readiness -> attack: fires when readiness crosses ``threshold`` with the intruder within reach.

    Readiness (``self.readiness``, one per body) is the fast activity the gains
    drive: each step it decays by ``leak`` and adds the drive
    ``(identity_gain[identity] + general_gain) x male_cue + testosterone_weight
    x testosterone - avoidance_weight x avoidance`` (never below 0). Each attack
    spends ``spent`` x ``threshold`` of it, so a resident with twice the drive
    attacks twice as often. The steering integrates it every step, even with
    the reflex inhibited (the gate on a learner's attacks needs it).
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

    def drive(self, senses: ResidentSenses, params: InnateParameters) -> np.ndarray:
        """(bodies,) the gains' drive onto VMHvl this step."""
        rows = np.arange(senses.identity.shape[0])
        specific = params["identity_gain"][rows, senses.identity]
        drive = ((specific + params["general_gain"][:, 0]) * senses.male_cue
                 + self.testosterone_weight * params["testosterone"][:, 0]
                 - self.avoidance_weight * params["avoidance"][:, 0])
        return np.maximum(drive, 0.0)

    def integrate(self, senses: ResidentSenses, params: InnateParameters) -> None:
        self.readiness = self.leak * self.readiness + self.drive(senses, params)

    def trigger(self, senses: ResidentSenses, params: InnateParameters) -> np.ndarray:
        return (self.readiness >= self.threshold) & senses.within_reach

    def motor_program(self, senses: ResidentSenses, params: InnateParameters) -> tuple[np.ndarray, np.ndarray]:
        n = senses.identity.shape[0]
        return np.full(n, ResidentAction.ATTACK, dtype=np.int64), np.full(n, AttackReason.ATTACK, dtype=np.int64)


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

    # --- lifecycle: the population spread is drawn at birth -------------------------
    def resize(self, num_bodies: int) -> None:
        super().resize(num_bodies)
        self.baseline = np.full(num_bodies, NORMAL_TESTOSTERONE)

    def reset(self, mask: np.ndarray | None = None) -> None:
        super().reset(mask)
        self.baseline[slice(None) if mask is None else mask] = NORMAL_TESTOSTERONE

    def baseline_of(self, u: np.ndarray) -> np.ndarray:
        """Baseline testosterone from uniforms ``u``: the low quarter at 0.3-0.4, the others 0.8-1.2."""
        q = self.nonresponder_fraction
        low = u < q
        level = np.where(low, 0.3 + 0.1 * u / max(q, 1e-12), 0.8 + 0.4 * (u - q) / max(1.0 - q, 1e-12))
        return np.maximum(level, NORMAL_TESTOSTERONE) if self.supplement else level

    def draw_baseline(self, mask: np.ndarray, u: np.ndarray) -> None:
        """Draw the baseline testosterone of the residents in ``mask`` (one uniform each, ``u``)."""
        level = self.baseline_of(u)
        self.baseline[mask] = level
        self.parameters["testosterone"][mask, 0] = level

    def ltp_gate(self, testosterone: np.ndarray) -> np.ndarray:
        """How much of the potentiation testosterone permits: 0 below ``ltp_testosterone``, 1 at normal levels."""
        return np.clip((testosterone - self.ltp_testosterone) / (NORMAL_TESTOSTERONE - self.ltp_testosterone), 0.0, 1.0)

    # --- reflexes ------------------------------------------------------------------
    def reflex(self, senses: ResidentSenses, proposed: np.ndarray) -> ReflexTakeover:
        self.attack.integrate(senses, self.parameters)
        takeover = super().reflex(senses, proposed)
        if not self.reflexes_enabled:  # the gate is part of the attack program: a reflex lesion removes it too
            return takeover
        # VMHvl gates the attack program: without readiness a proposed attack is only a threat.
        withheld = (proposed == ResidentAction.ATTACK) & ~takeover.mask & (self.attack.readiness < self.attack_gate * self.threshold)
        if not withheld.any():
            return takeover
        executed, reason = takeover.executed.copy(), takeover.reason.copy()
        executed[withheld] = ResidentAction.THREAT
        reason[withheld] = AttackReason.WITHHELD
        return ReflexTakeover(takeover.mask | withheld, executed, reason)

    # --- reward and the daily rule -----------------------------------------------------
    def evaluate(self, events: ResidentEvents, reflex: ReflexTakeover) -> SteeringOutput:
        p = self.parameters
        # An attack spends readiness, so the attack rate follows the drive.
        self.attack.readiness = np.where(events.attacked, self.attack.readiness - self.spent * self.threshold, self.attack.readiness)
        components = {
            "win": self.win_reward * events.won,
            "pain": -self.pain_cost * events.bitten,
            "defeat": -self.defeat_stress * events.defeated,
            "fear": -self.fear_cost * p["avoidance"][:, 0] * events.proximity,
        }
        ended = events.encounter_ended
        if ended.any():
            self._daily_rule(events)
            self.attack.readiness[ended] = 0.0
        drives = {
            "readiness": self.attack.readiness / self.threshold,
            "testosterone": p["testosterone"][:, 0].copy(),
            "avoidance": p["avoidance"][:, 0].copy(),
        }
        reward = components["win"] + components["pain"] + components["defeat"] + components["fear"]
        return SteeringOutput(reward=reward, components=components, drives=drives, reflex=reflex, reason_names=self.reason_names)

    def _daily_rule(self, events: ResidentEvents) -> None:
        """The fixed rule, once per encounter that ended: testosterone decays, wins potentiate, defeats depress."""
        p = self.parameters
        ended = events.encounter_ended
        t = p["testosterone"][:, 0]
        t[ended] = self.baseline[ended] + self.testosterone_decay * (t[ended] - self.baseline[ended])
        rows = np.flatnonzero(ended & events.encounter_won & ~events.defeated)
        if rows.size:
            gate = self.ltp_gate(t[rows])
            p["wins"][rows, 0] += 1.0
            if self.potentiation:
                ids = events.identity[rows]
                g = p["identity_gain"][rows, ids]
                p["identity_gain"][rows, ids] = g + self.ltp_rate * gate * (self.max_gain - g)
                # Specific before general: the general gain moves only after the first few wins.
                late = p["wins"][rows, 0] > self.general_after
                gg = p["general_gain"][rows, 0]
                p["general_gain"][rows, 0] = np.where(late, gg + self.general_rate * gate * (self.max_gain - gg), gg)
            t[rows] += self.testosterone_pulse * self.baseline[rows]
        rows = np.flatnonzero(ended & events.defeated)
        if rows.size and self.defeat_rule:
            ids = events.identity[rows]
            p["identity_gain"][rows, ids] *= 1.0 - self.ltd_rate
            p["general_gain"][rows, 0] *= 1.0 - self.ltd_rate
            a = p["avoidance"][rows, 0]
            p["avoidance"][rows, 0] = a + self.avoidance_rate * (1.0 - a)


__all__ = ["NORMAL_TESTOSTERONE", "NUM_IDENTITIES", "AttackReason", "AttackReflex", "ResidentEvents", "ResidentSenses",
           "ResidentSteering"]
