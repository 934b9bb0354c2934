import { fileStamp, runStamp } from '../../src/io/fileStamp'

describe('runStamp', () => {
  const now = new Date('2026-12-07T08:15:30.250Z')

  it("is the time and this process's id", () => {
    expect(runStamp(new Date('2026-12-07T08:15:29Z'))).toBe(`20261207T081529-${process.pid}`)
  })

  it('gives a second and third run in the same second names of their own, and a new second the plain name', () => {
    expect(fileStamp(now)).toBe('20261207T081530')
    const names = [runStamp(now), runStamp(new Date(now.getTime() + 500)), runStamp(now)]
    expect(names).toEqual([
      `20261207T081530-${process.pid}`,
      `20261207T081530-${process.pid}-2`,
      `20261207T081530-${process.pid}-3`
    ])
    expect(runStamp(new Date('2026-12-07T08:15:31Z'))).toBe(`20261207T081531-${process.pid}`)
  })
})
