"""The failure mapping against real sockets, so it holds for what requests really raises."""

import socket
import threading
from collections.abc import Callable, Iterator

import pytest

from onboarding.wattshift.client import WattShiftClient
from onboarding.wattshift.errors import OutcomeUnknown, UpstreamUnavailable
from onboarding.wattshift.types import HomeDetails

DETAILS = HomeDetails(name="Casa", zipcode="95313", utility_id="14328", rate_plan_id="r1")
Behaviour = Callable[[socket.socket], None]


def read_request(connection: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        data += connection.recv(65536)
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(
        int(line.split(b":")[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length")
    )
    while len(body) < length:
        body += connection.recv(65536)
    return data


class OneShotServer:
    """Accepts connections on 127.0.0.1 and treats each with the same behaviour."""

    def __init__(self, behaviour: Behaviour) -> None:
        self.behaviour = behaviour
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.requests = 0
        self.done = threading.Event()
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self) -> None:
        while not self.done.is_set():
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            with connection:
                read_request(connection)
                self.requests += 1
                self.behaviour(connection)

    def close(self) -> None:
        self.done.set()
        self.listener.close()


Starter = Callable[[Behaviour], OneShotServer]


@pytest.fixture
def serve() -> Iterator[Starter]:
    servers: list[OneShotServer] = []

    def start(behaviour: Behaviour) -> OneShotServer:
        servers.append(OneShotServer(behaviour))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def client_for(port: int) -> WattShiftClient:
    return WattShiftClient(
        base_url=f"http://127.0.0.1:{port}", api_key="k-1234", timeout=0.5, backoff=0
    )


def test_nothing_listening_is_unavailable() -> None:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    # The port is closed now: the connection is refused before anything is sent.
    with pytest.raises(UpstreamUnavailable):
        client_for(port).create_home(DETAILS)


def test_hanging_up_without_an_answer_is_outcome_unknown(serve: Starter) -> None:
    server = serve(lambda connection: None)

    with pytest.raises(OutcomeUnknown):
        client_for(server.port).create_home(DETAILS)
    assert server.requests == 1


def test_no_answer_in_time_is_outcome_unknown(serve: Starter) -> None:
    gate = threading.Event()
    server = serve(lambda connection: gate.wait(2))

    try:
        with pytest.raises(OutcomeUnknown):
            client_for(server.port).create_home(DETAILS)
    finally:
        gate.set()
    assert server.requests == 1


def test_a_body_cut_short_is_outcome_unknown(serve: Starter) -> None:
    def cut_short(connection: socket.socket) -> None:
        connection.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            b'Transfer-Encoding: chunked\r\n\r\n5\r\n{"id"\r\n'
        )

    server = serve(cut_short)

    with pytest.raises(OutcomeUnknown):
        client_for(server.port).create_home(DETAILS)
    assert server.requests == 1


def test_a_read_that_hangs_up_is_retried(serve: Starter) -> None:
    answers = iter([None, b'[{"utilityId": "14328", "utilityName": "PG&E", "ratePlans": []}]'])

    def flaky(connection: socket.socket) -> None:
        body = next(answers)
        if body is not None:
            connection.sendall(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                + f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
                + body
            )

    server = serve(flaky)

    [utility] = client_for(server.port).utilities_for_zip("95313")
    assert utility.id == "14328"
    assert server.requests == 2
