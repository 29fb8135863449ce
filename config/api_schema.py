from drf_spectacular.openapi import AutoSchema

from config.api import ErrorSerializer


class AtlasAutoSchema(AutoSchema):
    """Adds the error responses every endpoint can give to each operation in the schema."""

    ERRORS = {
        "400": "A parameter is malformed or unknown; the body names it.",
        "404": "No such object.",
        "406": "No representation matches the Accept header.",
        "429": "Too many requests from this client; retry later.",
    }

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response" or self.method != "GET":
            return responses
        for code, description in self.ERRORS.items():
            if code == "404" and not self._is_detail():
                continue
            if code not in responses:
                body = self._get_response_for_code(ErrorSerializer, code, ["application/json"])
                body["description"] = description
                responses[code] = body
        return responses

    def _is_detail(self) -> bool:
        return "{" in self.path
