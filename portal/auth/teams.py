"""Who belongs to which team: the one home of team membership reads (the catalog names the
teams; membership is data, changed through auth/people.py)."""

from sqlalchemy import exists, select

from ..extensions import db
from .models import TeamMember, User


def in_team(user: User, team_id: str) -> bool:
    """Whether the user is a member of the team."""
    return bool(db.session.scalar(
        select(exists().where(TeamMember.user_id == user.id, TeamMember.team_id == team_id))))


def team_ids_of(user: User) -> list[str]:
    """The ids of the teams `user` belongs to (catalog teams or not), sorted."""
    return list(db.session.scalars(
        select(TeamMember.team_id).where(TeamMember.user_id == user.id)
        .order_by(TeamMember.team_id)))


def team_ids_query(user_id):
    """The same as a subquery, for SQL that filters by the user's teams."""
    return select(TeamMember.team_id).where(TeamMember.user_id == user_id)


def active_members(team_id: str, *, by_name: bool = False) -> list[User]:
    """The team's active people, by name (for menus) or in the order they joined the portal."""
    order = (User.name, User.id) if by_name else (User.id,)
    return list(db.session.scalars(
        select(User).join(TeamMember, TeamMember.user_id == User.id)
        .where(TeamMember.team_id == team_id, User.active.is_(True)).order_by(*order)))
