'use strict'
// The studio's page: plain DOM, no build step. Every check comes from the server's JSON API, which answers
// with what `movable-ink preview --json` prints, so the page only arranges it.
;(function () {
  const token = new URLSearchParams(location.search).get('token') || ''
  const FIELD_TYPES = ['string', 'number', 'integer', 'boolean', 'array', 'object', 'any']
  const state = {
    events: [],
    endpoint: null,
    endpointFile: '',
    check: null,
    selected: null,
    problems: [],
    seq: 0,
    open: new Set()
  }
  const $ = (id) => document.getElementById(id)

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag)
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue
      if (key.startsWith('on')) node.addEventListener(key.slice(2), value)
      else if (key === 'text') node.textContent = value
      else node.setAttribute(key, value === true ? '' : value)
    }
    for (const child of children.flat()) if (child !== null && child !== undefined) node.append(child)
    return node
  }

  async function api(method, path, body) {
    const response = await fetch(path, {
      method,
      headers: { 'x-studio-token': token, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body)
    })
    const type = response.headers.get('content-type') || ''
    const data = type.includes('json') ? await response.json() : await response.text()
    if (!response.ok) {
      const error = new Error((data && data.error) || `HTTP ${response.status}`)
      error.details = data
      throw error
    }
    return data
  }

  function showError(where, message) {
    const node = $(where)
    node.textContent = message || ''
    node.hidden = !message
  }

  // ---- Status of one event, as the summary table and the badges show it (text, never colour alone).
  function verdict(item) {
    if (!item) return { status: 'checking', css: 'warn', mapping: '', why: '' }
    if (item.malformed) return { status: 'malformed', css: 'malformed', mapping: '', why: item.malformed }
    if (item.results.length === 0)
      return { status: 'not sent', css: 'not-sent', mapping: '', why: 'no subscription matches it' }
    const errors = item.results.flatMap((r) => r.errors)
    const mi = (item.results.find((r) => r.movableInk) || {}).movableInk
    const problems = mi ? mi.problems.map((p) => p.message + (p.fix ? ` (fix: ${p.fix})` : '')) : []
    const why = errors.concat(problems).join('; ')
    const mapping = mi && mi.mapping ? mi.mapping.name : ''
    if (errors.length) return { status: 'refused', css: 'refused', mapping, why }
    if (!mapping) return { status: 'unmapped', css: 'unmapped', mapping, why }
    if (problems.length) return { status: 'mapped, with problems', css: 'warn', mapping, why }
    return { status: 'mapped', css: 'mapped', mapping, why }
  }

  function checkedItem(id) {
    return state.check ? state.check.items.find((i) => i.id === id) : undefined
  }

  // ---- Events list
  function renderEvents() {
    const list = $('event-list')
    list.replaceChildren()
    if (state.events.length === 0) list.append(el('li', { text: 'No events yet: paste one below.' }))
    for (const event of state.events) {
      const v = verdict(checkedItem(event.id))
      const label = `${event.event || 'malformed'} (${event.source}:${event.line})`
      list.append(
        el(
          'li',
          { class: state.selected === event.id ? 'selected' : '', 'data-event-id': event.id },
          el(
            'button',
            {
              type: 'button',
              class: 'pick',
              'aria-pressed': String(state.selected === event.id),
              onclick: () => select(event.id)
            },
            label
          ),
          el('span', { class: `badge ${v.css}`, text: v.status }),
          el(
            'button',
            { type: 'button', 'aria-label': `Remove ${label}`, onclick: () => removeEvent(event.id) },
            'Remove'
          )
        )
      )
    }
  }

  function select(id) {
    state.selected = id
    renderEvents()
    renderDetail()
  }

  async function removeEvent(id) {
    try {
      await api('DELETE', `/api/events/${id}`)
      state.events = state.events.filter((e) => e.id !== id)
      if (state.selected === id) state.selected = state.events.length ? state.events[0].id : null
      await recheck()
    } catch (error) {
      showError('error', error.message)
    }
  }

  async function addText(text, name) {
    const { added } = await api('POST', '/api/events', { text, name })
    state.events.push(...added)
    if (added.length) state.selected = added[0].id
    await recheck()
    return added
  }

  async function addPaste() {
    showError('paste-error', '')
    try {
      const added = await addText($('paste').value)
      $('paste').value = ''
      $('summary-line').textContent =
        `Added ${added.length} event${added.length === 1 ? '' : 's'}. ` + $('summary-line').textContent
    } catch (error) {
      showError('paste-error', error.message)
    }
  }

  async function addFiles(files) {
    showError('paste-error', '')
    for (const file of files) {
      try {
        await addText(await file.text(), file.name)
      } catch (error) {
        showError('paste-error', `${file.name}: ${error.message}`)
      }
    }
  }

  // ---- Event mappings editor: inputs write straight into state.endpoint, then the check reruns.
  function problemId(m, f, property) {
    return `problem-${m}-${f === undefined ? 'm' : f}-${property}`
  }

  function textInput(label, object, key, m, f, wide) {
    const id = `input-${m}-${f === undefined ? 'm' : f}-${key}`
    return [
      el('label', { for: id, text: label }),
      el(
        'div',
        {},
        el('input', {
          type: 'text',
          id,
          class: wide ? 'wide' : '',
          value: object[key] === undefined ? '' : String(object[key]),
          'aria-describedby': problemId(m, f, key),
          spellcheck: 'false',
          oninput: (e) => {
            object[key] = e.target.value
            scheduleCheck()
          }
        }),
        el('span', { class: 'problem', id: problemId(m, f, key) })
      )
    ]
  }

  function checkbox(label, object, key, fallback, m, f) {
    const id = `input-${m}-${f === undefined ? 'm' : f}-${key}`
    return el(
      'label',
      { for: id },
      el('input', {
        type: 'checkbox',
        id,
        checked: object[key] === undefined ? fallback : object[key] === true,
        onchange: (e) => {
          object[key] = e.target.checked
          scheduleCheck()
        }
      }),
      ` ${label}`
    )
  }

  function fieldRow(mapping, field, m, f) {
    const typeId = `input-${m}-${f}-type`
    const label = (what) => `${what} of field ${f + 1} of mapping ${mapping.name || m + 1}`
    const input = (key, what) =>
      el(
        'td',
        {},
        el('input', {
          type: 'text',
          value: field[key] === undefined ? '' : field[key],
          'aria-label': label(what),
          'aria-describedby': problemId(m, f, key),
          spellcheck: 'false',
          class: 'wide',
          oninput: (e) => {
            field[key] = e.target.value
            scheduleCheck()
          }
        }),
        el('span', { class: 'problem', id: problemId(m, f, key) })
      )
    const type = el(
      'select',
      { id: typeId, 'aria-label': label('Type'), onchange: (e) => ((field.type = e.target.value), scheduleCheck()) },
      FIELD_TYPES.map((t) => el('option', { value: t, selected: (field.type || 'any') === t, text: t }))
    )
    const required = el('input', {
      type: 'checkbox',
      'aria-label': label('Required'),
      checked: field.required === true,
      onchange: (e) => ((field.required = e.target.checked), scheduleCheck())
    })
    const remove = el(
      'button',
      {
        type: 'button',
        'aria-label': label('Remove'),
        onclick: () => (mapping.fields.splice(f, 1), renderEditor(), scheduleCheck())
      },
      'Remove'
    )
    return el(
      'tr',
      {},
      input('name', 'Name'),
      input('path', 'jq path'),
      el('td', {}, type, el('span', { class: 'problem', id: problemId(m, f, 'type') })),
      el('td', {}, required),
      el('td', {}, remove)
    )
  }

  function mappingBox(mapping, m) {
    const fields = Array.isArray(mapping.fields) ? mapping.fields : (mapping.fields = [])
    const summary = `Mapping ${m + 1}: ${mapping.name || '(no name)'}${mapping.active === false ? ' (inactive)' : ''}`
    // Closed unless opened, so nine mappings fit on a screen; a mapping with a problem opens itself.
    return el(
      'details',
      {
        class: 'mapping',
        id: `mapping-${m}`,
        open: state.open.has(m),
        ontoggle: (e) => (e.target.open ? state.open.add(m) : state.open.delete(m))
      },
      el(
        'summary',
        {},
        el('strong', { text: summary }),
        el('code', { class: 'match', text: ` ${mapping.match || ''}` })
      ),
      el('span', { class: 'problem', id: problemId(m, undefined, 'mapping') }),
      el(
        'div',
        { class: 'grid' },
        textInput('Name', mapping, 'name', m),
        textInput('Schema', mapping, 'schema', m),
        textInput(`Match criterion (jq) of ${mapping.name || `mapping ${m + 1}`}`, mapping, 'match', m, undefined, true)
      ),
      el(
        'div',
        { class: 'row' },
        checkbox('Active', mapping, 'active', true, m),
        el('span', { class: 'problem', id: problemId(m, undefined, 'active') })
      ),
      el(
        'table',
        {},
        el('caption', { text: `Schema fields of ${mapping.name || `mapping ${m + 1}`}` }),
        el(
          'thead',
          {},
          el(
            'tr',
            {},
            ['Name', 'jq path', 'Type', 'Required', ''].map((h) => el('th', { scope: 'col', text: h }))
          )
        ),
        el(
          'tbody',
          {},
          fields.map((field, f) => fieldRow(mapping, field, m, f))
        )
      ),
      el('span', { class: 'problem', id: problemId(m, undefined, 'fields') }),
      el(
        'div',
        { class: 'row' },
        el(
          'button',
          {
            type: 'button',
            onclick: () => (
              fields.push({ name: '', path: '.', type: 'string', required: false }), renderEditor(), scheduleCheck()
            )
          },
          'Add a field'
        ),
        el(
          'button',
          {
            type: 'button',
            onclick: () => (state.endpoint.mappings.splice(m, 1), state.open.clear(), renderEditor(), scheduleCheck())
          },
          `Remove mapping ${mapping.name || m + 1}`
        )
      )
    )
  }

  function renderEditor() {
    const editor = $('mapping-editor')
    const mappings = state.endpoint && Array.isArray(state.endpoint.mappings) ? state.endpoint.mappings : []
    editor.replaceChildren(
      el('div', { class: 'row' }, textInput('Endpoint key', state.endpoint, 'endpointKey', 'e')),
      ...mappings.map(mappingBox)
    )
    showProblems()
  }

  /** Each problem next to its input; the ones with no input of their own in the box above the editor. */
  function showProblems() {
    document.querySelectorAll('#mapping-editor .problem').forEach((node) => (node.textContent = ''))
    const elsewhere = []
    for (const p of state.problems) {
      const property = p.property || 'mapping'
      const node =
        p.where === 'endpointKey'
          ? $('problem-e-m-endpointKey')
          : p.mapping !== undefined
          ? $(problemId(p.mapping, p.field, property))
          : null
      if (node) node.textContent = (node.textContent ? node.textContent + ' ' : '') + p.message
      if (node && p.mapping !== undefined && $(`mapping-${p.mapping}`)) $(`mapping-${p.mapping}`).open = true
      else elsewhere.push(`${p.where}: ${p.message}`)
    }
    showError(
      'endpoint-problems',
      state.problems.length
        ? `The mappings have ${state.problems.length} problem(s); nothing is checked until they are fixed.${
            elsewhere.length ? '\n' + elsewhere.join('\n') : ''
          }`
        : ''
    )
  }

  // ---- Checking
  let timer = null
  function scheduleCheck() {
    clearTimeout(timer)
    timer = setTimeout(recheck, 250)
  }

  async function recheck() {
    const seq = ++state.seq
    try {
      const check = await api('POST', '/api/check', { endpoint: state.endpoint })
      if (seq !== state.seq) return
      state.check = check
      state.problems = []
      $('summary-line').textContent = check.summary.line
      $('endpoint-warnings').replaceChildren(...check.endpointWarnings.map((w) => el('li', { text: w })))
    } catch (error) {
      if (seq !== state.seq) return
      state.problems = (error.details && error.details.problems) || []
      if (!state.problems.length) showError('error', error.message)
      $('summary-line').textContent = 'The event mappings have problems: see section 2.'
    }
    showProblems()
    renderEvents()
    renderSummary()
    renderDetail()
  }

  function renderSummary() {
    const body = document.querySelector('#summary-table tbody')
    body.replaceChildren()
    for (const event of state.events) {
      const item = checkedItem(event.id)
      const v = verdict(item)
      body.append(
        el(
          'tr',
          {},
          el(
            'td',
            {},
            el('button', { type: 'button', class: 'pick', onclick: () => select(event.id) }, event.event || 'malformed')
          ),
          el('td', { text: `${event.source}:${event.line}` }),
          el('td', {}, el('span', { class: `badge ${v.css}`, text: v.status })),
          el('td', { text: v.mapping }),
          el('td', { text: v.why })
        )
      )
    }
  }

  function list(title, lines) {
    if (!lines.length) return null
    return el(
      'div',
      {},
      el('h5', { text: title }),
      el(
        'ul',
        {},
        lines.map((line) => el('li', { text: line }))
      )
    )
  }

  function segmentSide(result) {
    const request = result.request
    const size = result.size
    return el(
      'div',
      {},
      el('h4', { text: `Segment: subscription "${result.subscription}"` }),
      el('h5', { text: 'Mapped Data' }),
      el('pre', { text: JSON.stringify(result.mappedPayload, null, 2) }),
      request ? el('h5', { text: 'The request, exactly as the destination makes it' }) : null,
      request
        ? el('pre', {
            class: 'request',
            text: `${request.method} ${request.url}\n${request.headers.map(([n, v]) => `${n}: ${v}`).join('\n')}\n\n${
              request.body
            }`
          })
        : null,
      size
        ? el('p', {
            text: `Size: ${size.bytes} bytes, ${size.percentOfLimit}% of the ${size.limitBytes}-byte limit (${
              size.withinLimit ? 'within' : 'over'
            } it)`
          })
        : null,
      list('Errors (would be refused)', result.errors),
      list('Warnings', result.warnings)
    )
  }

  /** The endpoint model's suggested path (such as the timestamp conversion), put into the mapping being edited. */
  function usePath(index, fieldName, path) {
    const mapping = state.endpoint.mappings[index]
    const field = mapping && mapping.fields.find((f) => f.name === fieldName)
    if (!field) return
    field.path = path
    state.open.add(index)
    renderEditor()
    scheduleCheck()
  }

  function editMapping(index) {
    state.open.add(index)
    const box = $(`mapping-${index}`)
    if (!box) return
    box.open = true
    box.scrollIntoView({ block: 'start' })
    $(`input-${index}-m-match`).focus()
  }

  /** The server's first mapping for an unmapped event, named apart from the others, opened for editing. */
  function addMappingFor(event) {
    const mapping = JSON.parse(JSON.stringify(event.newMapping))
    const names = new Set(state.endpoint.mappings.map((m) => m.name))
    for (let n = 2; names.has(mapping.name); n++) mapping.name = `${event.newMapping.name} (${n})`
    state.endpoint.mappings.push(mapping)
    state.open.add(state.endpoint.mappings.length - 1)
    renderEditor()
    scheduleCheck()
    editMapping(state.endpoint.mappings.length - 1)
  }

  function movableInkSide(mi, event) {
    if (!mi)
      return el('div', {}, el('h4', { text: 'Movable Ink' }), el('p', { text: 'Nothing would reach Movable Ink.' }))
    const rows = mi.fields.map((f) =>
      el(
        'tr',
        {},
        el('td', { text: f.name + (f.required ? ' (required)' : '') }),
        el('td', {}, el('code', { text: f.path })),
        el('td', {}, el('code', { text: f.value === undefined ? '(no value)' : JSON.stringify(f.value) })),
        el(
          'td',
          {},
          f.problem ? `✗ ${f.problem}` : f.present ? '✓' : '-',
          f.fix ? ` Hint: ${f.fix.what}: ${f.fix.path} gives ${JSON.stringify(f.fix.value)} ` : null,
          f.fix && mi.mapping
            ? el(
                'button',
                { type: 'button', onclick: () => usePath(mi.mapping.index, f.name, f.fix.path) },
                `Use this path for ${f.name}`
              )
            : null
        )
      )
    )
    return el(
      'div',
      {},
      el('h4', {
        text: mi.mapping
          ? `Movable Ink: event mapping "${mi.mapping.name}" (schema ${mi.mapping.schema})`
          : 'Movable Ink: no event mapping takes this event'
      }),
      mi.mapping
        ? el(
            'button',
            { type: 'button', onclick: () => editMapping(mi.mapping.index) },
            `Edit mapping "${mi.mapping.name}"`
          )
        : event && event.newMapping
        ? el('button', { type: 'button', onclick: () => addMappingFor(event) }, 'Add a mapping for this event')
        : null,
      mi.fields.length
        ? el(
            'table',
            { class: 'fields' },
            el(
              'thead',
              {},
              el(
                'tr',
                {},
                ['Field', 'jq path', 'Value', 'Check'].map((h) => el('th', { scope: 'col', text: h }))
              )
            ),
            el('tbody', {}, rows)
          )
        : null,
      list(
        'Problems',
        mi.problems.map((p) => p.message + (p.fix ? ` (fix: ${p.fix})` : ''))
      ),
      list('Warnings', mi.warnings),
      mi.otherMatches.length
        ? el('p', { text: `Also matched (unused): ${mi.otherMatches.map((o) => o.name).join(', ')}` })
        : null
    )
  }

  function renderDetail() {
    const detail = $('detail')
    const item = checkedItem(state.selected)
    if (!item)
      return detail.replaceChildren(el('p', { text: state.events.length ? 'Pick an event to see its checks.' : '' }))
    const head = el('h3', {
      id: 'detail-title',
      text: `${item.event || 'malformed'} (${item.source}:${item.line}): ${verdict(item).status}`
    })
    if (item.malformed) return detail.replaceChildren(head, el('p', { class: 'error', text: item.malformed }))
    const subscriptions = el('p', {
      text:
        'Subscriptions: ' +
        item.subscriptions
          .map((s) => `${s.name} (${s.subscribe}): ${s.matches ? 'matches' : 'does not match'}`)
          .join('; ')
    })
    detail.replaceChildren(
      head,
      subscriptions,
      ...item.results.map((r) =>
        el(
          'div',
          { class: 'columns' },
          segmentSide(r),
          movableInkSide(
            r.movableInk,
            state.events.find((e) => e.id === item.id)
          )
        )
      )
    )
  }

  // ---- Save, download, send, export
  async function saveEndpoint() {
    $('save-status').textContent = ''
    try {
      const { saved } = await api('PUT', '/api/endpoint', { endpoint: state.endpoint })
      $('save-status').textContent = `Saved to ${saved}.`
    } catch (error) {
      $('save-status').textContent = `Not saved: ${error.message}`
    }
  }

  function download(name, text, type) {
    const link = el('a', { href: URL.createObjectURL(new Blob([text], { type })), download: name })
    document.body.append(link)
    link.click()
    link.remove()
  }

  async function sendTest() {
    const out = $('send-result')
    const event = state.events.find((e) => e.id === state.selected)
    if (!event) return (out.textContent = 'Pick an event first (section 1).')
    const target = document.querySelector('input[name=target]:checked').value
    const where = target === 'stand-in' ? 'the embedded stand-in' : 'the configured Movable Ink URL (a real endpoint)'
    if (!window.confirm(`Send ${event.event} to ${where}?`)) return (out.textContent = 'Not sent.')
    out.textContent = 'Sending…'
    try {
      const a = await api('POST', '/api/send', {
        id: event.id,
        target,
        confirm: true,
        endpoint: state.endpoint,
        restamp: $('restamp').checked
      })
      out.replaceChildren(
        el(
          'p',
          {},
          el('span', { class: `badge ${a.ok ? 'mapped' : 'refused'}`, text: a.ok ? 'sent' : 'failed' }),
          ` HTTP ${a.status || 'none'} from ${a.target === 'stand-in' ? 'the stand-in' : 'Movable Ink'}`
        ),
        el('p', { text: `Message: ${a.message}` }),
        el('p', { text: `Request id: ${a.requestId || '(none given)'}` }),
        a.body ? el('pre', { text: a.body }) : ''
      )
    } catch (error) {
      out.textContent = `Not sent: ${error.message}`
    }
  }

  async function exportReport(format) {
    try {
      const text = await api('POST', '/api/export', { endpoint: state.endpoint, format })
      download(`movable-ink-check.${format}`, text, format === 'html' ? 'text/html' : 'text/markdown')
    } catch (error) {
      showError('error', error.message)
    }
  }

  function wireDrop() {
    let depth = 0
    document.addEventListener(
      'dragenter',
      (e) => (e.preventDefault(), depth++, document.body.classList.add('dragging'))
    )
    document.addEventListener('dragleave', () => --depth <= 0 && document.body.classList.remove('dragging'))
    document.addEventListener('dragover', (e) => e.preventDefault())
    document.addEventListener('drop', (e) => {
      e.preventDefault()
      depth = 0
      document.body.classList.remove('dragging')
      if (e.dataTransfer && e.dataTransfer.files.length) addFiles(Array.from(e.dataTransfer.files))
    })
  }

  async function start() {
    $('add-paste').addEventListener('click', addPaste)
    $('file-input').addEventListener('change', (e) =>
      addFiles(Array.from(e.target.files)).then(() => (e.target.value = ''))
    )
    $('add-mapping').addEventListener('click', () => {
      state.endpoint.mappings.push({
        name: 'New mapping',
        schema: 'Custom',
        match: '.type == "track"',
        active: true,
        fields: [{ name: 'UserID', path: '.userId', type: 'string', required: false }]
      })
      state.open.add(state.endpoint.mappings.length - 1)
      renderEditor()
      scheduleCheck()
    })
    $('save-endpoint').addEventListener('click', saveEndpoint)
    $('download-endpoint').addEventListener('click', () =>
      download('movable-ink-endpoint.json', JSON.stringify(state.endpoint, null, 2) + '\n', 'application/json')
    )
    $('send-button').addEventListener('click', sendTest)
    $('export-html').addEventListener('click', () => exportReport('html'))
    $('export-md').addEventListener('click', () => exportReport('md'))
    wireDrop()
    try {
      const initial = await api('GET', '/api/state')
      state.events = initial.events
      state.endpoint = initial.endpoint
      state.endpointFile = initial.endpointFile
      state.selected = state.events.length ? state.events[0].id : null
      $('endpoint-file').textContent = initial.endpointFile
      $('target-configured').disabled = !initial.configured.configured
      $('configured-note').textContent = initial.configured.configured
        ? '(from flags or the environment; not shown here)'
        : `(not available: ${initial.configured.problem})`
      renderEditor()
      await recheck()
    } catch (error) {
      showError('error', error.message)
    }
  }

  start()
})()
