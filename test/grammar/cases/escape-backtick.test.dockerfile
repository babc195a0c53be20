# SYNTAX TEST "source.dockerfile" "# escape=` : backtick line continuations"
# escape=`
# <- comment.line.number-sign.dockerfile punctuation.definition.comment.dockerfile
# ^^^^^^ keyword.other.directive.dockerfile
#        ^ constant.character.escape.dockerfile
FROM mcr.microsoft.com/windows/servercore:ltsc2022
# <---- keyword.other.special-method.dockerfile
RUN pip install `
#   ^^^ meta.instruction.run.dockerfile meta.embedded.block.shell.dockerfile entity.name.command.shell
#               ^ constant.character.escape.line-continuation.dockerfile - string.interpolated.backtick.shell
    # a comment line inside the continuation
#   ^ comment.line.number-sign.dockerfile - string.interpolated.backtick.shell
    numpy && `
#   ^^^^^ meta.instruction.run.dockerfile meta.embedded.block.shell.dockerfile
#            ^ constant.character.escape.line-continuation.dockerfile
    echo done
#   ^^^^ meta.instruction.run.dockerfile meta.embedded.block.shell.dockerfile entity.name.command.shell
RUN --mount=type=cache,target=C:/cache `
#   ^^^^^^^ meta.flag.dockerfile
#                                      ^ constant.character.escape.line-continuation.dockerfile - meta.embedded.block.shell.dockerfile
    pip install x
#   ^^^ meta.embedded.block.shell.dockerfile entity.name.command.shell - meta.flag.dockerfile
ENV DONE=1
# <--- keyword.other.special-method.dockerfile - meta.instruction.run.dockerfile
# slimdock: ignore=SD101
# ^^^^^^^^ storage.type.tool.slimdock
#                  ^^^^^ constant.other.rule-id.slimdock
