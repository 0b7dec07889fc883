"""One run context per process side, bound by one idiom: the orchestrator's turn or a specialist's request."""

from agents.run_context import RunContext, current_customer_id, current_run, running
from orchestrator.run_context import MeshRunContext, current_mesh_run
from specialists.run_context import SpecialistRunContext, current_specialist_run


def test_outside_a_run_there_is_no_run_and_no_shopper():
    assert current_run(RunContext) is None and current_customer_id() is None


def test_a_run_is_found_by_its_kind_and_gives_its_shopper():
    mesh = MeshRunContext(customer_id="CUST-001", max_handoffs=4)
    with running(mesh):
        assert current_mesh_run() is mesh and current_run(RunContext) is mesh
        assert current_specialist_run() is None
        assert current_customer_id() == "CUST-001"
        request = SpecialistRunContext(customer_id=None)
        with running(request):
            assert current_specialist_run() is request and current_mesh_run() is None
            assert current_customer_id() is None
        assert current_mesh_run() is mesh
    assert current_run(RunContext) is None
