import rule from '../../server/src/engine/rules/no-privileged';
import { RuleTester } from '../rule-tester';

const MSG = (label: string) => `${label} runs privileged: every capability, no seccomp or AppArmor, every host device and a writable /sys. Escaping to the host is trivial.`;

new RuleTester().run(rule, {
  valid: [
    { name: 'compose without privileged', path: 'docker-compose.yml', code: 'services:\n  web:\n    image: nginx\n' },
    { name: 'compose privileged: false', path: 'compose.yaml', code: 'services:\n  web:\n    image: nginx\n    privileged: false\n' },
    { name: 'compose privileged: "no" is a string Compose rejects, not true', path: 'compose.yaml', code: 'services:\n  web:\n    image: nginx\n    privileged: off\n' },
    { name: 'kubernetes quoted "true" is not a boolean to the API', path: 'pod.yaml', code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: app\n      image: nginx\n      securityContext:\n        privileged: "true"\n' },
    { name: 'kubernetes privileged false', path: 'deploy.yaml', code: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n        image: nginx\n        securityContext:\n          privileged: false\n' },
    { name: 'a ConfigMap mentioning privileged', path: 'cm.yaml', code: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  privileged: "true"\n' },
  ],
  invalid: [
    {
      name: 'compose privileged, trailing comment kept',
      path: 'docker-compose.yml',
      code: 'services:\n  web:\n    image: nginx\n    privileged: true # legacy\n',
      errors: [{ message: MSG('Service "web"'), line: 4, column: 5, endLine: 4, endColumn: 21, fixes: [{ title: 'Remove privileged: true', output: 'services:\n  web:\n    image: nginx\n    # legacy\n' }] }],
    },
    {
      name: 'compose YAML 1.1 yes, CRLF kept',
      path: 'compose.yml',
      code: 'services:\r\n  vpn:\r\n    privileged: yes\r\n    image: wg\r\n',
      errors: [{ message: MSG('Service "vpn"'), line: 3, column: 5, endLine: 3, endColumn: 20, fixes: [{ title: 'Remove privileged: true', output: 'services:\r\n  vpn:\r\n    image: wg\r\n' }] }],
    },
    {
      name: 'compose quoted "true" is read by Compose',
      path: 'compose.yml',
      code: 'services:\n  vpn:\n    image: wg\n    privileged: "true"\n',
      errors: [{ message: MSG('Service "vpn"'), line: 4, column: 5, endLine: 4, endColumn: 23, fixes: [{ title: 'Remove privileged: true', output: 'services:\n  vpn:\n    image: wg\n' }] }],
    },
    {
      name: 'compose flow mapping keeps flow style',
      path: 'compose.yml',
      code: 'services:\n  web: {image: nginx, privileged: true}\n',
      errors: [{ message: MSG('Service "web"'), line: 2, column: 23, endLine: 2, endColumn: 39, fixes: [{ title: 'Remove privileged: true', output: 'services:\n  web: {image: nginx}\n' }] }],
    },
    {
      name: 'compose privileged through a merge key shared with another service: reported where written, overridden per service',
      path: 'compose.yml',
      code: 'x-base: &base\n  privileged: true\nservices:\n  a:\n    <<: *base\n    image: x\n',
      errors: [
        {
          message: MSG('Service "a"'),
          line: 2,
          column: 3,
          endLine: 2,
          endColumn: 19,
          fixes: [{ title: 'Set privileged: false on service "a" (the shared definition stays as it is)', output: 'x-base: &base\n  privileged: true\nservices:\n  a:\n    <<: *base\n    image: x\n    privileged: false\n' }],
        },
      ],
    },
    {
      name: 'compose extends in the same file',
      path: 'compose.yml',
      code: 'services:\n  base:\n    image: x\n    privileged: true\n  child:\n    extends: base\n    image: y\n',
      errors: [
        { message: MSG('Service "base"'), line: 4, column: 5, endLine: 4, endColumn: 21, fixes: [{ title: 'Remove privileged: true', output: 'services:\n  base:\n    image: x\n  child:\n    extends: base\n    image: y\n' }] },
        { message: MSG('Service "child"'), line: 4, column: 5, endLine: 4, endColumn: 21, fixes: [{ title: 'Set privileged: false on service "child" (the shared definition stays as it is)', output: 'services:\n  base:\n    image: x\n    privileged: true\n  child:\n    extends: base\n    image: y\n    privileged: false\n' }] },
      ],
    },
    {
      name: 'kubernetes Deployment container',
      path: 'deploy.yaml',
      code: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n        image: nginx\n        securityContext:\n          privileged: true\n          runAsNonRoot: true\n',
      errors: [{ message: MSG('Container "app" in Deployment/d'), line: 12, column: 11, endLine: 12, endColumn: 27, fixes: [{ title: 'Remove privileged: true', output: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n        image: nginx\n        securityContext:\n          runAsNonRoot: true\n' }] }],
    },
    {
      name: 'kubernetes CronJob init container, second document of a multi-document file',
      path: 'jobs.yaml',
      code: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n---\napiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: cj\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          initContainers:\n            - name: init\n              securityContext: {privileged: on}\n',
      errors: [{ message: MSG('Init container "init" in CronJob/cj'), line: 17, column: 33, endLine: 17, endColumn: 47, fixes: [{ title: 'Remove privileged: true', output: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n---\napiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: cj\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          initContainers:\n            - name: init\n              securityContext: {}\n' }] }],
    },
    {
      name: 'kubernetes List item Pod',
      path: 'list.yaml',
      code: 'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Pod\n    metadata: {name: p}\n    spec:\n      ephemeralContainers:\n        - name: dbg\n          securityContext:\n            privileged: true\n',
      errors: [{ message: MSG('Ephemeral container "dbg" in Pod/p'), line: 11, column: 13, endLine: 11, endColumn: 29, fixes: [{ title: 'Remove privileged: true', output: 'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Pod\n    metadata: {name: p}\n    spec:\n      ephemeralContainers:\n        - name: dbg\n          securityContext:\n' }] }],
    },
  ],
});
