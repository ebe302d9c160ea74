"""The services: every use case of Accord, and every access rule, in one place.

The API, the dashboard and the CLI parse a request, call one method here, and render the result;
none of them decides who may see what (that is :mod:`accord.services.access`).

Examples
--------
>>> from accord.store import Database
>>> services = Services(Database("sqlite://"))
>>> _ = services.db.upgrade()
>>> services.users.add(None, "ada", "a long password").username
'ada'
"""

from __future__ import annotations

from accord.services.access import MEDIATORS, Actor, PrivateKind, Role, Viewer
from accord.services.analysis_views import AnalysisViewService, SeenAnalysis
from accord.services.audit import AuditService
from accord.services.base import CaseCache, Clock, Page, utc_now
from accord.services.cases import CaseService, CaseSummary, ItemInfo
from accord.services.costing_views import CostingViewService, SeenCosting
from accord.services.errors import (
    Conflict,
    FieldProblem,
    Forbidden,
    Invalid,
    NotFound,
    PreconditionRequired,
    ServiceError,
    TooManyAttempts,
    TooManyJobs,
    Unauthenticated,
)
from accord.services.ingest import Applied, IngestService
from accord.services.live import Following, LiveService
from accord.services.preference_fit import PreferenceFitService
from accord.services.private import Note, PrivateItem, PrivateService, WalkAway
from accord.services.records import RecordInfo, RecordService
from accord.services.users import IssuedToken, LoginLimits, TokenInfo, User, UserService
from accord.services.views import ViewService
from accord.store import Database


class Services:
    """All use cases over one database. ``clock`` gives the current time (UTC); tests pass their own."""

    def __init__(self, db: Database, *, clock: Clock = utc_now, cache: CaseCache | None = None) -> None:
        self.db = db
        self.clock = clock
        self.cache = cache or CaseCache()
        shared = (db, clock, self.cache)
        self.users = UserService(*shared)
        self.cases = CaseService(*shared)
        self.records = RecordService(*shared)
        self.private = PrivateService(*shared)
        self.audit = AuditService(*shared)
        self.views = ViewService(*shared)
        self.analysis_views = AnalysisViewService(*shared)
        self.ingest = IngestService(*shared)
        self.live = LiveService(*shared)
        self.costing_views = CostingViewService(*shared)
        self.preference_fit = PreferenceFitService(*shared)


__all__ = [
    "MEDIATORS",
    "Actor",
    "AnalysisViewService",
    "Applied",
    "AuditService",
    "CaseService",
    "CaseSummary",
    "Conflict",
    "CostingViewService",
    "FieldProblem",
    "Following",
    "Forbidden",
    "IngestService",
    "Invalid",
    "IssuedToken",
    "ItemInfo",
    "LiveService",
    "LoginLimits",
    "NotFound",
    "Note",
    "Page",
    "PreconditionRequired",
    "PrivateItem",
    "PrivateKind",
    "PrivateService",
    "RecordInfo",
    "RecordService",
    "Role",
    "SeenAnalysis",
    "SeenCosting",
    "ServiceError",
    "Services",
    "TokenInfo",
    "TooManyAttempts",
    "TooManyJobs",
    "Unauthenticated",
    "User",
    "UserService",
    "ViewService",
    "Viewer",
    "WalkAway",
]
