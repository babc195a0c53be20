# SYNTAX TEST "source.dockerfile" "slimdock and hadolint suppression comments"
FROM python:3.12-slim
# slimdock: ignore=SD101,SD201
# <- comment.line.number-sign.directive.slimdock punctuation.definition.comment.slimdock
# ^^^^^^^^ comment.line.number-sign.directive.slimdock storage.type.tool.slimdock
#         ^ punctuation.separator.key-value.slimdock
#           ^^^^^^ comment.line.number-sign.directive.slimdock keyword.other.directive.slimdock
#                 ^ keyword.operator.assignment.slimdock
#                  ^^^^^ comment.line.number-sign.directive.slimdock constant.other.rule-id.slimdock
#                       ^ punctuation.separator.comma.slimdock - constant.other.rule-id.slimdock
#                        ^^^^^ constant.other.rule-id.slimdock
RUN pip install numpy

# slimdock: ignore-file=SD406
# ^^^^^^^^ storage.type.tool.slimdock
#           ^^^^^^^^^^^ keyword.other.directive.slimdock
#                       ^^^^^ constant.other.rule-id.slimdock

# hadolint ignore=DL3042,DL3008
# ^^^^^^^^ comment.line.number-sign.directive.slimdock storage.type.tool.slimdock
#          ^^^^^^ keyword.other.directive.slimdock
#                 ^^^^^^ constant.other.rule-id.slimdock
#                        ^^^^^^ constant.other.rule-id.slimdock
RUN pip install requests

  # SlimDock:ignore = sd301 sd302 because the base image is pinned elsewhere
# ^ punctuation.definition.comment.slimdock
#   ^^^^^^^^ storage.type.tool.slimdock
#            ^^^^^^ keyword.other.directive.slimdock
#                     ^^^^^ constant.other.rule-id.slimdock
#                           ^^^^^ constant.other.rule-id.slimdock
#                                 ^^^^^^^ comment.line.number-sign.directive.slimdock - constant.other.rule-id.slimdock keyword.other.directive.slimdock

# an ordinary comment stays the built-in grammar's comment
# <- comment.line.number-sign.dockerfile - comment.line.number-sign.directive.slimdock
# slimdock is great, ignore=nothing here
#   ^^^^^^ comment.line.number-sign.dockerfile - storage.type.tool.slimdock
RUN echo "# slimdock: ignore=SD101"
#          ^^^^^^^^ - storage.type.tool.slimdock
COPY <<EOF /app/notes.txt
# slimdock: ignore=SD101
# <- string.unquoted.heredoc.dockerfile - comment.line.number-sign.directive.slimdock
EOF
