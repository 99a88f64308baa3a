"""Rules for changing people, shared by the admin pages and `flask users`.

Functions change the session and flush at most; the caller commits once (or rolls back when a
rule refuses), so a refused change never leaves half of an edit behind.
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from ..errors import Refused
from ..extensions import db
from .models import Role, TeamMember, User
from .teams import team_ids_of


def other_active_admins(user: User) -> list[int]:
    """Ids of the active admins other than `user`, locked until the transaction ends."""
    # FOR UPDATE (a no-op on SQLite) makes two admins demoting each other at the same moment
    # wait for one another, so the second one sees the first's change and is refused. Locking
    # every active admin, `user` included, in id order keeps the two from deadlocking.
    locked = db.session.scalars(
        select(User.id).where(User.role == Role.ADMIN, User.active.is_(True))
        .order_by(User.id).with_for_update()
    )
    return [user_id for user_id in locked if user_id != user.id]


def is_last_active_admin(user: User) -> bool:
    """Whether taking `user`'s admin role or access away would leave nobody to administer."""
    return user.role == Role.ADMIN and user.active and not other_active_admins(user)


def set_role(user: User, role: Role) -> bool:
    """Give `user` a role; True if it changed."""
    if user.role == role:
        return False
    if is_last_active_admin(user):
        raise Refused(_l("%(name)s is the last active admin; make someone else an admin "
                         "first.", name=user.name), field="role")
    user.role = role
    return True


def set_active(user: User, active: bool) -> bool:
    """Activate or deactivate `user`; True if it changed."""
    if user.active == active:
        return False
    if not active and is_last_active_admin(user):
        raise Refused(_l("%(name)s is the last active admin and cannot be deactivated; make "
                         "someone else an admin first.", name=user.name), field="active")
    user.active = active
    if not active:
        user.end_sessions()  # a later reactivation must not revive the old sessions
    return True


def manages_indirectly(manager: User, user: User) -> bool:
    """Whether `user` appears in `manager`'s chain of managers (or is `manager`)."""
    seen = set()
    current = manager
    # `seen` stops the walk should the data already hold a cycle.
    while current is not None and current.id not in seen:
        if current.id == user.id:
            return True
        seen.add(current.id)
        current = current.manager
    return False


def set_manager(user: User, manager: User | None) -> bool:
    """Make `manager` (or nobody) `user`'s manager; True if it changed."""
    if (manager.id if manager else None) == user.manager_id:
        return False
    if manager is not None:
        if manager.id == user.id:
            raise Refused(_l("A person cannot be their own manager."), field="manager")
        if not manager.active:
            raise Refused(_l("%(name)s is deactivated; choose an active person.",
                             name=manager.name), field="manager")
        if manages_indirectly(manager, user):
            raise Refused(_l("%(name)s already reports to %(person)s, directly or through "
                             "others; that would make a circle of managers.",
                             name=manager.name, person=user.name), field="manager")
    user.manager = manager
    return True


def set_teams(user: User, team_ids: set[str]) -> tuple[set[str], set[str]]:
    """Make `user` a member of exactly `team_ids`; returns (added, removed)."""
    current = set(team_ids_of(user))
    added, removed = team_ids - current, current - team_ids
    for team_id in sorted(added):
        db.session.add(TeamMember(team_id=team_id, user_id=user.id))
    if removed:
        db.session.execute(delete(TeamMember).where(
            TeamMember.user_id == user.id, TeamMember.team_id.in_(removed)))
    db.session.flush()
    return added, removed


def add_member(user: User, team_id: str) -> bool:
    """Add `user` to a team; False if they already were a member."""
    added, _removed = set_teams(user, {*team_ids_of(user), team_id})
    return bool(added)


def remove_member(user: User, team_id: str) -> bool:
    """Remove `user` from a team; False if they were not a member."""
    _added, removed = set_teams(user, set(team_ids_of(user)) - {team_id})
    return bool(removed)
