"""The served OpenAPI file is valid OpenAPI 3, and every route it lists is answered."""
import json
import os
import unittest
import urllib.request

import yaml
from openapi_spec_validator import validate

from serve_fixture import Server

def mnist_directory():
    """Where the server finds MNIST ($NUMERAL_MNIST, which scripts/run-tests.sh sets), if it holds the files."""
    directory = os.environ.get("NUMERAL_MNIST", "")
    names = ("train-images-idx3-ubyte", "t10k-images-idx3-ubyte")
    found = directory and all(any(os.path.exists(os.path.join(directory, n + ext)) for ext in ("", ".gz")) for n in names)
    return directory if found else None


ONE = json.dumps({"strokes": [[[140, 40], [142, 100], [144, 160], [146, 220]]], "width": 280, "height": 280})


class OpenAPITests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(os.environ["NUMERAL_BINARY"])

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def spec(self):
        status, _, body = self.server.request("GET", "/api/v1/openapi.yaml")
        self.assertEqual(status, 200)
        return yaml.safe_load(body)

    def test_spec_is_valid_openapi(self):
        validate(self.spec())

    def test_every_route_in_the_spec_is_answered_as_documented(self):
        spec = self.spec()
        status, _, body = self.server.request("POST", "/api/v1/predictions", ONE, "application/json")
        self.assertEqual(status, 201, body)
        prediction = json.loads(body)["id"]
        _, _, models = self.server.request("GET", "/api/v1/models", token=self.server.viewer)
        model = json.loads(models)[0]["id"]
        answered = 0
        for path, operations in spec["paths"].items():
            for method, operation in operations.items():
                if method == "post" and path.endswith("/improve"):
                    continue  # needs MNIST: test_improve_starts_in_the_background
                uri = path.replace("{id}", prediction if "predictions" in path else model)
                body, content_type = None, None
                if method == "post" and "requestBody" in operation:
                    if "feedback" in path:
                        body, content_type = json.dumps({"actual": "1"}), "application/json"
                    else:
                        body, content_type = ONE, "application/json"
                if path.endswith("/events"):
                    uri += "?input_type=api"
                token = self.server.admin
                if path.endswith("/events"):
                    status = self.first_event(uri, token)
                else:
                    status, _, _ = self.server.request(method.upper(), uri, body, content_type, token, timeout=20)
                documented = {int(code) for code in operation["responses"]}
                self.assertIn(status, documented, f"{method.upper()} {uri} answered {status}, documented {documented}")
                self.assertLess(status, 400, f"{method.upper()} {uri} with an admin token answered {status}")
                answered += 1
        self.assertGreaterEqual(answered, 12)

    def test_improve_starts_in_the_background(self):
        if not mnist_directory():
            self.skipTest("MNIST not found ($NUMERAL_MNIST, e.g. ../shared/data/mnist): POST /api/v1/improve needs it to check a candidate")
        spec = self.spec()
        status, _, body = self.server.request("POST", "/api/v1/improve", None, None, self.server.admin, timeout=20)
        documented = {int(code) for code in spec["paths"]["/api/v1/improve"]["post"]["responses"]}
        self.assertIn(status, documented, body)
        self.assertLess(status, 400, body)

    def first_event(self, uri, token):
        """The event stream never ends: read up to its first stats event, then hang up."""
        request = urllib.request.Request(self.server.url + uri, headers={"Authorization": "Bearer " + token})
        with urllib.request.urlopen(request, timeout=10) as response:
            self.assertEqual(response.headers["Content-Type"], "text/event-stream")
            first = response.readline().decode()
            self.assertEqual(first, "event: stats\n")
            data = response.readline().decode()
            self.assertTrue(data.startswith("data: {"), data)
            return response.status


if __name__ == "__main__":
    unittest.main()
