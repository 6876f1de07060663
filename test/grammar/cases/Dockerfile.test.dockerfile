# SYNTAX TEST "source.dockerfile" "suppression comments in Dockerfiles"
FROM debian:12 AS build
# container-privilege-lint-disable-next-line no-root-user -- build stage only
# <- comment.line.number-sign.suppression.container-privilege-lint punctuation.definition.comment.container-privilege-lint
# ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ comment.line.number-sign.suppression.container-privilege-lint keyword.control.directive.container-privilege-lint
#                                            ^^^^^^^^^^^^ comment.line.number-sign.suppression.container-privilege-lint entity.name.tag.rule-id.container-privilege-lint
#                                                         ^^ comment.line.number-sign.suppression.container-privilege-lint meta.reason.container-privilege-lint punctuation.separator.reason.container-privilege-lint
#                                                            ^^^^^^^^^^^^^^^^ comment.line.number-sign.suppression.container-privilege-lint meta.reason.container-privilege-lint string.unquoted.reason.container-privilege-lint
USER root
# <---- keyword.other.special-method.dockerfile
  # container-privilege-lint-disable no-root-user, no-privileged
# ^ comment.line.number-sign.suppression.container-privilege-lint punctuation.definition.comment.container-privilege-lint
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ comment.line.number-sign.suppression.container-privilege-lint keyword.control.directive.container-privilege-lint
#                                    ^^^^^^^^^^^^ comment.line.number-sign.suppression.container-privilege-lint entity.name.tag.rule-id.container-privilege-lint
#                                                  ^^^^^^^^^^^^^ comment.line.number-sign.suppression.container-privilege-lint entity.name.tag.rule-id.container-privilege-lint
#                                                ^ comment.line.number-sign.suppression.container-privilege-lint punctuation.separator.comma.container-privilege-lint
# just a comment
# ^^^^ - keyword.control.directive.container-privilege-lint entity.name.tag.rule-id.container-privilege-lint
RUN echo "# container-privilege-lint-disable no-root-user"
#           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ - keyword.control.directive.container-privilege-lint entity.name.tag.rule-id.container-privilege-lint
